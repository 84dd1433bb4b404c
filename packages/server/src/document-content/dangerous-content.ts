/**
 * Signatures that make a file something other than what it claims (security checklist F2): a
 * polyglot that is also a web page, an archive, or a PDF. Browsers sniff HTML and XML, Java and
 * Office read a ZIP from its end, and PDF readers find `%PDF-` anywhere in the first kilobyte, so
 * a file passing the magic-number check at its start is searched for these too. Each pattern is
 * long enough that compressed or image data almost never contains it by chance.
 */

/** Markup that makes bytes run as a page or script when a browser gets to interpret them. */
const ACTIVE_MARKUP = /<(?:script|iframe|html|body|object|embed|frameset)[\s>/]|<!doctype\s+html|<\?xml-stylesheet|javascript:/i;

/** SVG is short: looked for only where a browser's sniffer would (WHATWG MIME Sniffing §7.1). */
const SVG_START = /<svg[\s>/]/i;

/** What a web page or XML starts with, after blanks (WHATWG MIME Sniffing §7.1, "text/html" and XML rows). */
const MARKUP_START =
  /^[\t\n\f\r ]*<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg|\?xml)[\t\n\f\r >/]|^[\t\n\f\r ]*<!--/i;

/** RTF can carry OLE objects (`\\objdata`), the usual way an RTF file attacks a word processor. */
const RTF_OBJECT = /\\obj(?:data|emb|ocx|link|autlink)\b/;

export type Danger = 'markup' | 'zip' | 'pdf' | 'embedded-object';

/** What in a binary file (PDF, image, RTF) would let it pass for another format. */
export function dangerInBinary(bytes: Uint8Array, kind: 'pdf' | 'jpeg' | 'png' | 'tiff' | 'rtf'): Danger | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (kind !== 'rtf' && ACTIVE_MARKUP.test(text)) return 'markup';
  if (kind !== 'rtf' && SVG_START.test(text.slice(0, 1024))) return 'markup';
  if (kind !== 'pdf' && text.slice(0, 1024).includes('%PDF-')) return 'pdf';
  if (endsWithZip(bytes)) return 'zip';
  if (kind === 'rtf' && RTF_OBJECT.test(text)) return 'embedded-object';
  return undefined;
}

/** Plain text a browser, an editor or a mail client could take for HTML or XML. */
export function dangerInText(text: string): Danger | undefined {
  if (MARKUP_START.test(text.slice(0, 1024)) || ACTIVE_MARKUP.test(text) || SVG_START.test(text)) return 'markup';
  if (text.slice(0, 1024).includes('%PDF-')) return 'pdf';
  return undefined;
}

/**
 * A ZIP archive is read from its end-of-central-directory record, the last 22 bytes plus its
 * comment (APPNOTE.TXT §4.3.16): one whose comment ends exactly at the end of the file makes the
 * whole file a valid archive, whatever precedes it.
 */
function endsWithZip(bytes: Uint8Array): boolean {
  const from = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= from; at -= 1) {
    if (bytes[at] === 0x50 && bytes[at + 1] === 0x4b && bytes[at + 2] === 0x05 && bytes[at + 3] === 0x06) {
      const commentLength = bytes[at + 20]! | (bytes[at + 21]! << 8);
      if (at + 22 + commentLength === bytes.length) return true;
    }
  }
  return false;
}
