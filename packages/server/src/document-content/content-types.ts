/**
 * The document formats Carnet accepts (issue 4), each under the one content type it is stored
 * and served with. A CDA R2 document is XML; it is stored as `text/xml`, the mimeType the DMP and
 * XDS use for CDA (formatCode says which CDA), and accepted from professionals' software only.
 */
export const DOCUMENT_CONTENT_TYPES = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  text: 'text/plain',
  rtf: 'text/rtf',
  cda: 'text/xml',
} as const;

export type DocumentKind = keyof typeof DOCUMENT_CONTENT_TYPES;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[DocumentKind];

/** Other names senders use for the same formats. */
const ALIASES: Readonly<Record<string, DocumentKind>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/pjpeg': 'jpeg',
  'image/png': 'png',
  'image/tiff': 'tiff',
  'text/plain': 'text',
  'text/rtf': 'rtf',
  'application/rtf': 'rtf',
  'text/xml': 'cda',
  'application/xml': 'cda',
  'application/hl7-cda+xml': 'cda',
};

/** Declarations that claim nothing: the bytes alone decide. */
const NO_CLAIM = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/**
 * What a declared Content-Type (or DocumentReference.content.attachment.contentType) claims:
 * a kind, `undefined` for no claim, or `'other'` for a type outside the allow-list.
 */
export function declaredKind(declared: string | undefined): DocumentKind | 'other' | undefined {
  if (declared === undefined) return undefined;
  const essence = declared.split(';')[0]!.trim().toLowerCase();
  if (NO_CLAIM.has(essence)) return undefined;
  return ALIASES[essence] ?? 'other';
}

export const kindOfContentType = (contentType: string): DocumentKind | undefined => {
  const kind = declaredKind(contentType);
  return kind === 'other' ? undefined : kind;
};

export function allowedTypesText(allowCda: boolean): string {
  const names = ['PDF', 'JPEG', 'PNG', 'TIFF', 'plain text (UTF-8)', 'RTF'];
  if (allowCda) names.push('CDA R2 XML');
  return names.join(', ');
}
