import type { PatientDocumentRow } from './patient-documents.repository.ts';

const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tif',
  'text/plain': 'txt',
  'text/rtf': 'rtf',
  'text/xml': 'xml',
};

/** What a browser may show in a frame of the app itself; anything else is only downloaded. */
const SHOWN_INLINE = new Set(['application/pdf', 'image/jpeg', 'image/png', 'text/plain']);

/**
 * The file name a download gets: the document's title with the extension of its type. The title is
 * the patient's or the author's text, so nothing in it may reach the header as syntax or a path:
 * control characters, quotes, slashes and backslashes become underscores, and the name is cut to a
 * length every file system accepts.
 */
export function downloadFileName(title: string, contentType: string): string {
  const base =
    title
      .normalize('NFC')
      .replace(/[\p{Cc}\p{Cf}"\\/:*?<>|]+/gu, '_')
      .replace(/^[\s._]+|[\s.]+$/g, '')
      .slice(0, 120) || 'document';
  return `${base}.${EXTENSIONS[contentType] ?? 'bin'}`;
}

/** RFC 6266 §4.3: an ASCII `filename` for old clients, the exact name in `filename*` (RFC 8187). */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_').replace(/[%"\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Headers of a document's original bytes. The type is the one sniffed at filing (never the name's),
 * the browser may not second-guess it (nosniff), and the response may run nothing: no script, no
 * request elsewhere. Only the app's own pages may frame it (the viewer), and only PDFs, images and
 * plain text are shown inline; everything else is an attachment. PDFs are not sandboxed because
 * Chromium's viewer refuses to render in a sandboxed document; they still load nothing.
 */
export function documentContentHeaders(
  document: Pick<PatientDocumentRow, 'title' | 'content_type' | 'size'>,
  download: boolean,
): Record<string, string> {
  const inline = !download && SHOWN_INLINE.has(document.content_type);
  const pdf = document.content_type === 'application/pdf';
  const csp = [
    "default-src 'none'",
    "img-src 'self'",
    "style-src 'unsafe-inline'",
    ...(pdf ? [] : ['sandbox']),
    "frame-ancestors 'self'",
  ];
  return {
    'content-type': document.content_type === 'text/plain' ? 'text/plain; charset=utf-8' : document.content_type,
    'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', downloadFileName(document.title, document.content_type)),
    'content-security-policy': csp.join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'SAMEORIGIN',
    'cross-origin-resource-policy': 'same-origin',
  };
}
