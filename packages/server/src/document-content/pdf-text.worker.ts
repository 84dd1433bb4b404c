import { parentPort, workerData } from 'node:worker_threads';
import { getDocumentProxy } from 'unpdf';

/**
 * Reads a PDF's text layer in a worker thread (pdf-text.ts starts it): a hostile PDF can take
 * time or memory there, and the thread is ended without touching the server's event loop.
 */

export interface PdfTextRequest {
  bytes: Uint8Array;
  maxPages: number;
  maxChars: number;
}

export type PdfTextReply = { text: string; pages: number } | { error: string };

// Reading a PDF needs no network: pdf.js would only fetch fonts or colour maps, and gets none.
globalThis.fetch = () => Promise.reject(new Error('No network access while reading a PDF.'));

const { bytes, maxPages, maxChars } = workerData as PdfTextRequest;

try {
  const pdf = await getDocumentProxy(bytes, {
    useSystemFonts: false,
    disableFontFace: true,
    enableXfa: false,
    verbosity: 0,
  });
  let text = '';
  const pages = Math.min(pdf.numPages, maxPages);
  for (let number = 1; number <= pages && text.length < maxChars; number += 1) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    for (const item of content.items) {
      if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
    }
    text += '\n\n';
    page.cleanup();
  }
  parentPort!.postMessage({ text, pages: pdf.numPages } satisfies PdfTextReply);
  await pdf.loadingTask.destroy();
} catch (error) {
  // pdf.js names the structural problem (InvalidPDFException, PasswordException…), not content.
  parentPort!.postMessage({ error: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 200) } satisfies PdfTextReply);
}
