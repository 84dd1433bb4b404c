import { fileTypeFromBuffer } from 'file-type';
import { CarnetError } from '../errors.ts';
import type { CdaDocument } from './cda.ts';
import { parseCda } from './cda-parse.ts';
import { allowedTypesText, declaredKind, DOCUMENT_CONTENT_TYPES, type DocumentContentType, type DocumentKind } from './content-types.ts';
import { dangerInBinary, dangerInText, type Danger } from './dangerous-content.ts';
import { documentTooLarge, unsupportedDocumentType } from './document-content.errors.ts';

export interface SniffOptions {
  /** The Content-Type or attachment.contentType the sender gave; it must agree with the bytes. */
  declaredType?: string;
  maxBytes: number;
  /** CDA documents are filed by professionals' software; a patient adds files, not CDA. */
  allowCda: boolean;
}

export interface SniffedDocument {
  kind: DocumentKind;
  /** The type the document is stored and served with. */
  contentType: DocumentContentType;
  /** Parsed and checked, when the document is a CDA (an N1's embedded file sniffed too). */
  cda?: CdaDocument;
}

const NAMES: Readonly<Record<DocumentKind, string>> = {
  pdf: 'a PDF',
  jpeg: 'a JPEG image',
  png: 'a PNG image',
  tiff: 'a TIFF image',
  text: 'plain text',
  rtf: 'an RTF document',
  cda: 'a CDA R2 document (XML)',
};

const FILE_TYPE_KINDS: Readonly<Record<string, DocumentKind>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/tiff': 'tiff',
  'application/rtf': 'rtf',
};

const DANGERS: Readonly<Record<Danger, string>> = {
  markup: 'web page or script markup (HTML, SVG, XML stylesheet or a javascript: link), which a browser could run',
  zip: 'a ZIP archive at its end, which makes it a second file in disguise',
  pdf: 'a PDF header near its start, which makes it a second file in disguise',
  'embedded-object': 'an embedded OLE object (\\objdata), which word processors run',
};

/**
 * Decides what a document's bytes are, never trusting its name or declared type (security
 * checklist F1, F2): the magic number at the start (file-type), then Carnet's own checks for
 * what file-type does not name (UTF-8 text, CDA), then signatures of a second format anywhere.
 * Throws 413 over the size limit and 415 for anything else refused, naming what was found.
 */
export async function sniffDocument(bytes: Uint8Array, options: SniffOptions): Promise<SniffedDocument> {
  const allowed = allowedTypesText(options.allowCda);
  if (bytes.length > options.maxBytes) throw documentTooLarge(bytes.length, options.maxBytes);
  if (bytes.length === 0) throw unsupportedDocumentType(`The file is empty; send ${allowed}.`);
  const declared = declaredKind(options.declaredType);
  if (declared === 'other' || (declared === 'cda' && !options.allowCda)) {
    throw unsupportedDocumentType(`The declared type ${printable(options.declaredType!)} is not accepted here; send ${allowed}.`);
  }
  const kind = await detect(bytes, allowed);
  if (kind === 'cda' && !options.allowCda) {
    throw unsupportedDocumentType(`The file is ${NAMES.cda}, which only professionals' software files; send ${allowed}.`);
  }
  if (declared !== undefined && declared !== kind) {
    throw unsupportedDocumentType(
      `The file was declared as ${DOCUMENT_CONTENT_TYPES[declared]} but its content is ${NAMES[kind]}; send the right file or declare ${DOCUMENT_CONTENT_TYPES[kind]}.`,
    );
  }
  const danger = kind === 'text' || kind === 'cda' ? undefined : dangerInBinary(bytes, kind);
  if (danger !== undefined) {
    throw unsupportedDocumentType(`The file starts as ${NAMES[kind]} but also contains ${DANGERS[danger]}; it is refused.`);
  }
  const sniffed: SniffedDocument = { kind, contentType: DOCUMENT_CONTENT_TYPES[kind] };
  if (kind === 'cda') sniffed.cda = await checkCda(bytes, options.maxBytes);
  return sniffed;
}

async function detect(bytes: Uint8Array, allowed: string): Promise<DocumentKind> {
  const found = await fileTypeFromBuffer(bytes);
  if (found !== undefined && found.mime !== 'application/xml') {
    const kind = FILE_TYPE_KINDS[found.mime];
    if (kind === undefined) throw unsupportedDocumentType(`The file is ${found.ext.toUpperCase()} (${found.mime}); send ${allowed}.`);
    return kind;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw unsupportedDocumentType(
      bytes.subarray(0, 1024).includes(0)
        ? `The file is binary data of a format Carnet does not accept; send ${allowed}.`
        : `The file looks like text but is not UTF-8 (or is XML in another encoding); save it as UTF-8, or send ${allowed}.`,
    );
  }
  const markup = markupKind(text);
  if (markup === 'cda') return 'cda';
  if (markup !== undefined) throw unsupportedDocumentType(`The file is ${markup}; send ${allowed}.`);
  // Whitespace is fine; other control characters mean binary data (or a NUL-padded file).
  if (hasControlCharacters(text)) {
    throw unsupportedDocumentType(`The file is neither text nor a format Carnet accepts (it has control characters); send ${allowed}.`);
  }
  if (dangerInText(text) !== undefined) {
    throw unsupportedDocumentType(`The file is text that contains ${DANGERS.markup}; send it as PDF, or remove the markup.`);
  }
  return 'text';
}

/** What markup text is, from its root element: 'cda', a description of a refused kind, or undefined for plain text. */
function markupKind(text: string): string | undefined {
  let rest = text.replace(/^\uFEFF/, '');
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith('<?')) rest = afterTerminator(rest, '?>');
    else if (rest.startsWith('<!--')) rest = afterTerminator(rest, '-->');
    else if (/^<!doctype\s+html/i.test(rest)) return 'an HTML page';
    else if (/^<!doctype/i.test(rest)) rest = afterTerminator(rest, rest.includes('[') ? ']>' : '>');
    else break;
    if (rest === '') return text.trimStart().startsWith('<') ? 'XML without a root element' : undefined;
  }
  const root = /^<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)[\s/>]/.exec(rest);
  if (root === null) return text.trimStart().startsWith('<?xml') ? 'XML without a root element' : undefined;
  const local = root[2]!;
  if (local === 'ClinicalDocument') return 'cda';
  if (local.toLowerCase() === 'html') return 'an HTML page';
  if (local.toLowerCase() === 'svg') return 'an SVG image (it can carry scripts)';
  if (/^(?:head|body|script|iframe|div|table|p|a|b|br|h1|font|style|title)$/i.test(local)) return 'HTML';
  return `XML other than a CDA R2 ClinicalDocument (root element <${local.slice(0, 40)}>)`;
}

/** C0 and C1 controls other than the whitespace ones (tab, line feed, vertical tab, form feed, return). */
function hasControlCharacters(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x09 || (code > 0x0d && code < 0x20) || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

function afterTerminator(text: string, terminator: string): string {
  const end = text.indexOf(terminator);
  return end === -1 ? '' : text.slice(end + terminator.length);
}

async function checkCda(bytes: Uint8Array, maxBytes: number): Promise<CdaDocument> {
  const cda = parseCda(bytes, { maxBytes });
  if (cda.body.level === 'N1') {
    try {
      await sniffDocument(cda.body.content, { declaredType: cda.body.mediaType, maxBytes, allowCda: false });
    } catch (error) {
      if (!(error instanceof CarnetError)) throw error;
      throw new CarnetError(error.code, error.status, `The file embedded in the CDA (ClinicalDocument/component/nonXMLBody/text): ${error.message}`, {
        field: 'ClinicalDocument/component/nonXMLBody/text',
      });
    }
  }
  return cda;
}

function printable(declared: string): string {
  return `"${declared.split(';')[0]!.trim().slice(0, 80).replace(/[^\x20-\x7e]/g, '?')}"`;
}
