import { Worker } from 'node:worker_threads';
import { textExtractionFailed } from './document-content.errors.ts';
import type { PdfTextReply, PdfTextRequest } from './pdf-text.worker.ts';

export interface PdfTextLimits {
  maxChars: number;
  maxPages: number;
  timeoutMs: number;
  /** V8 heap of the reading thread; a PDF needing more is refused, not the server. */
  maxHeapMb: number;
}

export const PDF_TEXT_LIMITS: PdfTextLimits = { maxChars: 200_000, maxPages: 500, timeoutMs: 30_000, maxHeapMb: 512 };

/**
 * The text layer of a PDF (unpdf, pdf.js without a worker of its own and without network), read
 * in a worker thread that is ended when it runs past the time or memory allowed. An image-only
 * PDF (a scan) has no text layer and gives ''.
 */
export function pdfText(bytes: Uint8Array, limits: PdfTextLimits = PDF_TEXT_LIMITS): Promise<string> {
  // The worker gets its own copy: pdf.js detaches the buffer it is given.
  const copy = bytes.slice();
  const request: PdfTextRequest = { bytes: copy, maxPages: limits.maxPages, maxChars: limits.maxChars };
  const worker = new Worker(new URL('./pdf-text.worker.ts', import.meta.url), {
    workerData: request,
    transferList: [copy.buffer],
    resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb },
    stdout: true,
    stderr: true,
  });
  // Whatever pdf.js prints could quote the document: it is dropped, never logged.
  worker.stdout.resume();
  worker.stderr.resume();
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      void worker.terminate();
    };
    const timer = setTimeout(
      () => settle(() => reject(textExtractionFailed(`Reading the PDF's text took longer than ${limits.timeoutMs / 1000} s; it was stopped.`))),
      limits.timeoutMs,
    );
    worker.once('message', (reply: PdfTextReply) =>
      settle(() => {
        if ('error' in reply) reject(textExtractionFailed(`The PDF's text could not be read (${reply.error}).`));
        else resolve(normalizePdfText(reply.text).slice(0, limits.maxChars));
      }),
    );
    worker.once('error', (error) =>
      settle(() => reject(textExtractionFailed('Reading the PDF\'s text failed (it may need more memory than allowed).', error))),
    );
    worker.once('exit', (code) => settle(() => reject(textExtractionFailed(`Reading the PDF's text stopped early (exit code ${code}).`))));
  });
}

/** Single spaces, at most one blank line, as unpdf's mergePages does. */
function normalizePdfText(text: string): string {
  return text.replace(/[^\S\n]+/g, ' ').replace(/ ?\n ?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
