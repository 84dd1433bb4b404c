import { CarnetError } from '../errors.ts';

/**
 * Refusals of a document's bytes. Messages name what was found and what is allowed, never the
 * content itself: a rejected file may be health data.
 */

export const unsupportedDocumentType = (message: string) => new CarnetError('unsupported_document_type', 415, message);

export const documentTooLarge = (sizeBytes: number, maxBytes: number) =>
  new CarnetError(
    'document_too_large',
    413,
    `The file is ${formatBytes(sizeBytes)}; the largest document accepted is ${formatBytes(maxBytes)} (${maxBytes} bytes).`,
  );

/** A CDA that is not safe or not complete enough to file; `location` is an XPath-like path. */
export const invalidCda = (location: string, message: string) =>
  new CarnetError('invalid_cda', 400, `${location}: ${message}`, { field: location });

/** The text layer could not be read (damaged file, or over the time or memory allowed). */
export const textExtractionFailed = (message: string, cause?: unknown) =>
  new CarnetError('text_extraction_failed', 422, message, { cause });

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}
