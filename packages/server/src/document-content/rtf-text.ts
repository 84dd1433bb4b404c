/**
 * The text of an RTF document, for the search index: a small tokenizer, not a renderer. It keeps
 * the characters of the body and drops control words, and the groups that hold no body text
 * (font and colour tables, pictures, objects, metadata, every `{\*\…}` destination). It walks the
 * input once, with an explicit stack, so neither length nor nesting can make it recurse or loop.
 */

/** Destinations whose content is not text a reader sees (RTF 1.9.1 spec, "Destinations"). */
const SKIPPED_DESTINATIONS = new Set([
  'fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'object', 'objdata', 'listtable', 'listoverridetable',
  'rsidtbl', 'generator', 'themedata', 'colorschememapping', 'datastore', 'latentstyles', 'xmlnstbl',
  'filetbl', 'revtbl', 'pgdsctbl', 'header', 'footer', 'headerl', 'headerr', 'headerf', 'footerl',
  'footerr', 'footerf', 'fldinst', 'bkmkstart', 'bkmkend', 'nonshppict', 'shppict', 'mmathPr', 'wgrffmtfilter',
]);

const BREAKS: Readonly<Record<string, string>> = { par: '\n', line: '\n', sect: '\n\n', page: '\n\n', row: '\n', cell: '\t', tab: '\t' };
const SPECIAL: Readonly<Record<string, string>> = {
  emdash: '—', endash: '–', bullet: '•', lquote: '‘', rquote: '’', ldblquote: '“', rdblquote: '”', emspace: ' ', enspace: ' ',
};

interface Group {
  skip: boolean;
  /** \ucN: how many fallback characters follow each \u. */
  unicodeSkip: number;
}

export function rtfToText(bytes: Uint8Array, maxChars: number): string {
  // One character per byte: RTF is 7-bit, and raw 8-bit bytes are in the document's code page.
  const rtf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const decoder = codePageDecoder(rtf);
  const stack: Group[] = [];
  let group: Group = { skip: false, unicodeSkip: 1 };
  let out = '';
  let pendingSkip = 0;
  // Bytes waiting to be decoded together (a multi-byte code page needs the whole sequence).
  let pending: number[] = [];
  let pendingRaw = false;
  const flushBytes = () => {
    if (pending.length > 0 && !group.skip) out += decodeBytes(Uint8Array.from(pending), pendingRaw, decoder);
    pending = [];
    pendingRaw = false;
  };
  const emit = (text: string) => {
    flushBytes();
    if (!group.skip) out += text;
  };
  let index = 0;
  while (index < rtf.length && out.length < maxChars) {
    const char = rtf[index]!;
    if (char === '{') {
      flushBytes();
      stack.push(group);
      group = { ...group };
      // A group whose first token is \* is a destination readers that do not know it must skip.
      if (rtf.startsWith('{\\*', index)) group.skip = true;
      index += 1;
    } else if (char === '}') {
      flushBytes();
      group = stack.pop() ?? group;
      index += 1;
    } else if (char === '\\') {
      const token = /^\\(?:([a-zA-Z]{1,32})(-?\d{1,10})? ?|'([0-9a-fA-F]{2})|([^a-zA-Z]))/.exec(rtf.slice(index, index + 48));
      if (token === null) {
        index += 1;
        continue;
      }
      index += token[0].length;
      const [, word, parameter, hex, symbol] = token;
      if (hex !== undefined) {
        if (pendingSkip > 0) pendingSkip -= 1;
        else if (!group.skip) {
          if (pendingRaw) flushBytes();
          pending.push(Number.parseInt(hex, 16));
        }
        continue;
      }
      if (symbol !== undefined) {
        if (symbol === '\\' || symbol === '{' || symbol === '}') emit(symbol);
        else if (symbol === '~') emit('\u00a0');
        else if (symbol === '_') emit('‑');
        else if (symbol === '\n' || symbol === '\r') emit('\n');
        continue;
      }
      if (SKIPPED_DESTINATIONS.has(word!)) group.skip = true;
      else if (word === 'uc') group.unicodeSkip = Number(parameter ?? 1);
      else if (word === 'u' && parameter !== undefined) {
        const code = Number(parameter);
        emit(String.fromCharCode(code < 0 ? code + 65536 : code));
        pendingSkip = group.unicodeSkip;
      } else if (Object.hasOwn(BREAKS, word!)) emit(BREAKS[word!]!);
      else if (Object.hasOwn(SPECIAL, word!)) emit(SPECIAL[word!]!);
    } else if (char === '\r' || char === '\n') {
      index += 1;
    } else {
      if (pendingSkip > 0) pendingSkip -= 1;
      else if (char.charCodeAt(0) >= 0x80) {
        if (!group.skip) {
          if (!pendingRaw) flushBytes();
          pending.push(char.charCodeAt(0));
          pendingRaw = true;
        }
      } else emit(char);
      index += 1;
    }
  }
  flushBytes();
  return out
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, maxChars);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Escaped bytes (\'hh) are in the document's code page. Raw 8-bit bytes should be too, but some
 * generators write UTF-8 there: a sequence that is valid UTF-8 is read as such.
 */
function decodeBytes(bytes: Uint8Array, raw: boolean, codePage: { decode(bytes: Uint8Array): string }): string {
  if (raw) {
    try {
      return UTF8.decode(bytes);
    } catch {
      // not UTF-8: the code page it is
    }
  }
  return codePage.decode(bytes);
}

/** \ansicpgN names the code page of \'hh bytes; Windows-1252 unless it says otherwise. */
function codePageDecoder(rtf: string) {
  const codePage = /\\ansicpg(\d{3,5})/.exec(rtf.slice(0, 4096))?.[1];
  try {
    if (codePage === '65001') return new TextDecoder('utf-8');
    return new TextDecoder(codePage === undefined ? 'windows-1252' : `windows-${codePage}`);
  } catch {
    return new TextDecoder('windows-1252');
  }
}
