import { invalidCda } from './document-content.errors.ts';

/**
 * Checks untrusted XML before any parser sees it (security checklist E3). Without a DOCTYPE there
 * are no entity declarations, hence no external entities (XXE), nothing fetched, and no entity
 * expansion bombs; what remains are floods of character references and deep nesting, bounded here
 * by one linear scan.
 */
export const XML_LIMITS = {
  /** Far deeper than any CDA (document → body → sections → narrative tables and lists). */
  maxDepth: 128,
  /** Character and entity references (`&#233;`, `&amp;`): a long French letter written with refs needs a few thousand. */
  maxReferences: 100_000,
  maxElements: 500_000,
} as const;

const DECLARATION = /<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

/** The XML text of `bytes`, checked; throws `invalid_cda` (400) naming the problem. */
export function decodeGuardedXml(bytes: Uint8Array, maxBytes: number): string {
  if (bytes.length > maxBytes) {
    throw invalidCda('ClinicalDocument', `the XML is ${bytes.length} bytes; at most ${maxBytes} are accepted.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidCda('ClinicalDocument', 'the XML must be encoded in UTF-8 (CI-SIS), and this file is not valid UTF-8.');
  }
  guardXml(text);
  return text;
}

export function guardXml(text: string): void {
  const declaration = DECLARATION.exec(text);
  if (declaration !== null) {
    throw invalidCda(
      lineOf(text, declaration.index),
      'a DOCTYPE or entity declaration is not accepted in a CDA document; remove it (entities can read files or expand without bound).',
    );
  }
  const encoding = /^\uFEFF?<\?xml[^>]*\bencoding\s*=\s*["']([^"']*)["']/.exec(text);
  if (encoding !== null && encoding[1]!.toLowerCase() !== 'utf-8') {
    throw invalidCda('line 1', `the XML declares the encoding "${encoding[1]!.slice(0, 20)}"; CDA documents are UTF-8.`);
  }
  countReferences(text);
  checkStructure(text);
}

function countReferences(text: string): void {
  let count = 0;
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) {
    if (++count > XML_LIMITS.maxReferences) {
      throw invalidCda(lineOf(text, at), `more than ${XML_LIMITS.maxReferences} character or entity references; write the characters in UTF-8 instead.`);
    }
  }
}

/** Walks the tags (skipping comments, CDATA, processing instructions and quoted attribute values). */
function checkStructure(text: string): void {
  let depth = 0;
  let elements = 0;
  let at = text.indexOf('<');
  while (at !== -1) {
    let next: number;
    if (text.startsWith('<!--', at)) next = endOf(text, at, '-->', 'comment');
    else if (text.startsWith('<![CDATA[', at)) next = endOf(text, at, ']]>', 'CDATA section');
    else if (text.startsWith('<?', at)) next = endOf(text, at, '?>', 'processing instruction');
    else if (text.startsWith('<!', at)) {
      throw invalidCda(lineOf(text, at), 'markup declarations (<!…>) are not accepted in a CDA document.');
    } else if (text.startsWith('</', at)) {
      next = endOf(text, at, '>', 'end tag');
      depth -= 1;
    } else {
      const close = endOfStartTag(text, at);
      elements += 1;
      if (elements > XML_LIMITS.maxElements) {
        throw invalidCda(lineOf(text, at), `more than ${XML_LIMITS.maxElements} elements; this is not a document Carnet can file.`);
      }
      if (text[close - 1] !== '/') {
        depth += 1;
        if (depth > XML_LIMITS.maxDepth) {
          throw invalidCda(lineOf(text, at), `elements are nested more than ${XML_LIMITS.maxDepth} deep.`);
        }
      }
      next = close + 1;
    }
    at = text.indexOf('<', next);
  }
}

function endOf(text: string, start: number, terminator: string, what: string): number {
  const end = text.indexOf(terminator, start + 2);
  if (end === -1) throw invalidCda(lineOf(text, start), `this ${what} is never closed.`);
  return end + terminator.length;
}

function endOfStartTag(text: string, start: number): number {
  let quote = '';
  for (let index = start + 1; index < text.length; index += 1) {
    const char = text[index];
    if (quote !== '') {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return index;
    }
  }
  throw invalidCda(lineOf(text, start), 'this tag is never closed.');
}

function lineOf(text: string, index: number): string {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line += 1;
  return `line ${line}`;
}
