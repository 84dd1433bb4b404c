import { cdaPlainText } from './cda-html.ts';
import { parseCda } from './cda-parse.ts';
import { kindOfContentType } from './content-types.ts';
import { unsupportedDocumentType } from './document-content.errors.ts';
import { PDF_TEXT_LIMITS, type PdfTextLimits, type PdfTextWorkers, pdfTextWorkers } from './pdf-text.ts';
import { rtfToText } from './rtf-text.ts';

/** Enough for a long report; beyond it, more text adds little to search and a lot to the index. */
export const MAX_EXTRACTED_CHARS = 200_000;

/**
 * The text of a stored document, for the French full-text index (run by a background job, after
 * filing: the bytes were sniffed then, and `contentType` is the sniffed type). PDFs give their
 * text layer, CDA their header summary and narrative (N3) or the embedded file's text (N1), text
 * and RTF their characters; images give '' (no OCR). Throws `text_extraction_failed` when a PDF
 * cannot be read in the time and memory allowed. PDFs are read by `workers` (by default the
 * process's pool of two threads).
 */
export async function extractText(
  bytes: Uint8Array,
  contentType: string,
  limits: Partial<PdfTextLimits> = {},
  { workers = pdfTextWorkers() }: { workers?: PdfTextWorkers } = {},
): Promise<string> {
  const pdfLimits: PdfTextLimits = { ...PDF_TEXT_LIMITS, maxChars: MAX_EXTRACTED_CHARS, ...limits };
  const maxChars = pdfLimits.maxChars;
  switch (kindOfContentType(contentType)) {
    case 'pdf':
      return workers.read(bytes, pdfLimits);
    case 'text':
      return new TextDecoder('utf-8').decode(bytes.subarray(0, maxChars * 4)).replace(/^\uFEFF/, '').slice(0, maxChars);
    case 'rtf':
      return rtfToText(bytes, maxChars);
    case 'cda': {
      const cda = parseCda(bytes, { maxBytes: bytes.length });
      const header = cdaPlainText(cda);
      if (cda.body.level === 'N3') return header.slice(0, maxChars);
      const embedded = await extractText(cda.body.content, cda.body.mediaType, { ...pdfLimits, maxChars: Math.max(0, maxChars - header.length - 2) }, { workers });
      return `${header}\n\n${embedded}`.trim().slice(0, maxChars);
    }
    case 'jpeg':
    case 'png':
    case 'tiff':
      return '';
    case undefined:
      throw unsupportedDocumentType(`Carnet cannot read text from ${contentType.slice(0, 80)}.`);
  }
}
