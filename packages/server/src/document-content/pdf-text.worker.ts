import { parentPort } from 'node:worker_threads';
import { getDocumentProxy } from 'unpdf';

/**
 * Reads PDFs' text layers in a worker thread of the pool in pdf-text.ts, one document at a time:
 * a hostile PDF can take time or memory here, and the thread is ended without touching the
 * server's event loop. pdf.js is loaded once per thread and serves every document it is sent.
 */

export interface PdfTextRequest {
  bytes: Uint8Array;
  maxPages: number;
  maxChars: number;
}

export type PdfTextReply = { text: string; pages: number } | { error: string };

// Reading a PDF needs no network: pdf.js would only fetch fonts or colour maps, and gets none.
globalThis.fetch = () => Promise.reject(new Error('No network access while reading a PDF.'));

async function readPdfText({ bytes, maxPages, maxChars }: PdfTextRequest): Promise<PdfTextReply> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  try {
    pdf = await getDocumentProxy(bytes, {
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
    return { text, pages: pdf.numPages };
  } catch (error) {
    // pdf.js names the structural problem (InvalidPDFException, PasswordException…), not content.
    return { error: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 200) };
  } finally {
    // The thread serves the next document: nothing of this one may stay behind.
    await pdf?.loadingTask.destroy().catch(() => undefined);
  }
}

parentPort!.on('message', (request: PdfTextRequest) => {
  void readPdfText(request).then((reply) => parentPort!.postMessage(reply));
});
