import { describe, expect, it } from 'vitest';
import { CarnetError } from '../errors.ts';
import { buildCdaN1, buildCdaN3 } from './fixtures/cda-builder.ts';
import { tinyJpeg, tinyPng, tinyTiff } from './fixtures/image-builder.ts';
import { buildPdf } from './fixtures/pdf-builder.ts';
import { sniffDocument } from './sniff.ts';

const MB = 1024 * 1024;
const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => Buffer.concat(parts);
const pdf = buildPdf(['Compte rendu', 'Tension artérielle normale']);
const rtf = utf8('{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Arial;}}\\f0 Ordonnance : parac\\\'e9tamol 1 g\\par}');

async function refusal(bytes: Uint8Array, options: Partial<Parameters<typeof sniffDocument>[1]> = {}) {
  const error = await sniffDocument(bytes, { maxBytes: 20 * MB, allowCda: true, ...options }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CarnetError);
  return error as CarnetError;
}

describe('sniffDocument accepts each allowed type from its bytes', () => {
  it.each([
    ['a PDF', pdf, 'application/pdf', 'application/pdf'],
    ['a JPEG', tinyJpeg(), 'image/jpeg', 'image/jpeg'],
    ['a JPEG declared image/jpg', tinyJpeg(), 'image/jpg', 'image/jpeg'],
    ['a PNG', tinyPng(), 'image/png', 'image/png'],
    ['a TIFF', tinyTiff(), 'image/tiff', 'image/tiff'],
    ['UTF-8 text', utf8('Glycémie : 0,94 g/L\r\n\tà contrôler\f'), 'text/plain; charset=utf-8', 'text/plain'],
    ['text with a byte order mark', utf8('\uFEFFNote du 3 mars'), 'text/plain', 'text/plain'],
    ['RTF declared application/rtf', rtf, 'application/rtf', 'text/rtf'],
    ['a CDA N3 declared text/xml', utf8(buildCdaN3()), 'text/xml', 'text/xml'],
    ['a CDA N1 declared application/hl7-cda+xml', utf8(buildCdaN1()), 'application/hl7-cda+xml', 'text/xml'],
    ['a PDF with no declared type', pdf, undefined, 'application/pdf'],
    ['a PNG declared application/octet-stream', tinyPng(), 'application/octet-stream', 'image/png'],
  ])('%s', async (_name, bytes, declaredType, contentType) => {
    const sniffed = await sniffDocument(bytes, { declaredType, maxBytes: 20 * MB, allowCda: true });
    expect(sniffed.contentType).toBe(contentType);
  });

  it('returns the parsed CDA with it', async () => {
    const sniffed = await sniffDocument(utf8(buildCdaN3({ title: 'Compte rendu de consultation' })), { maxBytes: MB, allowCda: true });
    expect(sniffed.cda?.title).toBe('Compte rendu de consultation');
  });
});

describe('sniffDocument refuses', () => {
  it.each([
    ['an SVG image', utf8('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/svg+xml', /declared type "image\/svg\+xml" is not accepted/],
    ['an SVG image with no declared type', utf8('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), undefined, /SVG image/],
    ['an HTML page declared image/png', utf8('<!DOCTYPE html><html><script>alert(1)</script></html>'), 'image/png', /HTML page/],
    ['HTML declared text/plain', utf8('  <html><body onload="alert(1)">bonjour</body></html>'), 'text/plain', /HTML page/],
    ['HTML fragments declared text/plain', utf8('<b>Résultats</b>'), 'text/plain', /HTML/],
    ['text with a script tag inside', utf8('Note de suivi\n<script>fetch("https://x.example")</script>'), 'text/plain', /web page or script markup/],
    ['a PDF declared image/png', pdf, 'image/png', /declared as image\/png but its content is a PDF/],
    ['a PNG declared application/pdf', tinyPng(), 'application/pdf', /declared as application\/pdf but its content is a PNG image/],
    ['text declared as a PDF', utf8('pas un pdf'), 'application/pdf', /declared as application\/pdf but its content is plain text/],
    ['a PDF that is also a ZIP archive', zipAppended(pdf), 'application/pdf', /ZIP archive/],
    ['a PDF with an HTML page inside', concat(pdf, utf8('<html><script>alert(1)</script></html>')), 'application/pdf', /web page or script markup/],
    ['a JPEG with a trailing script', concat(tinyJpeg(), utf8('<script>alert(document.cookie)</script>')), 'image/jpeg', /web page or script markup/],
    ['a PNG that is also a PDF', concat(tinyPng(), utf8('%PDF-1.4\n')), 'image/png', /PDF header/],
    ['RTF carrying an OLE object', utf8('{\\rtf1{\\object\\objemb{\\*\\objdata 0105000002000000}}}'), 'text/rtf', /OLE object/],
    ['a ZIP archive', zipAppended(new Uint8Array()), undefined, /ZIP \(application\/zip\)/],
    ['a GIF', utf8('GIF89a\u0001\u0000\u0001\u0000'), undefined, /GIF \(image\/gif\)/],
    ['binary data of an unknown format', Uint8Array.from([0, 1, 2, 3, 0xfe, 0xff, 0, 0x80]), undefined, /binary data/],
    ['text that is not UTF-8', Uint8Array.from(Buffer.from('Résultat : élevé', 'latin1')), 'text/plain', /not UTF-8/],
    ['text with control characters', utf8('Résultat\u0007 normal'), 'text/plain', /control characters/],
    ['XML other than a CDA', utf8('<?xml version="1.0"?><Bundle xmlns="http://hl7.org/fhir"/>'), 'text/xml', /root element <Bundle>/],
    ['a declared type outside the allow-list', pdf, 'application/x-msdownload', /"application\/x-msdownload" is not accepted/],
  ])('%s (415)', async (_name, bytes, declaredType, message) => {
    const error = await refusal(bytes, { declaredType });
    expect(error.status).toBe(415);
    expect(error.message).toMatch(message);
  });

  it('an empty file (415)', async () => {
    const error = await refusal(new Uint8Array(), { declaredType: 'application/pdf' });
    expect(error.status).toBe(415);
    expect(error.message).toMatch(/empty/);
  });

  it('a file over the size limit (413), naming the limit', async () => {
    const error = await refusal(buildPdf(['x'], { padToBytes: 2 * MB + 1 }), { maxBytes: 2 * MB });
    expect(error).toMatchObject({ status: 413, code: 'document_too_large' });
    expect(error.message).toContain('2 MB (2097152 bytes)');
  });

  it('a CDA from a patient, declared or not', async () => {
    const cda = utf8(buildCdaN3());
    expect((await refusal(cda, { allowCda: false })).message).toMatch(/only professionals' software/);
    expect((await refusal(cda, { allowCda: false, declaredType: 'text/xml' })).message).toMatch(/"text\/xml" is not accepted here/);
  });

  it("a CDA N1 whose embedded file is not what its mediaType says", async () => {
    const error = await refusal(utf8(buildCdaN1({ pdf: tinyPng() })), { declaredType: 'text/xml' });
    expect(error.status).toBe(415);
    expect(error.message).toMatch(/embedded in the CDA .*declared as application\/pdf but its content is a PNG image/);
  });

  it('a CDA N1 wrapping a polyglot PDF', async () => {
    const error = await refusal(utf8(buildCdaN1({ pdf: zipAppended(pdf) })));
    expect(error.message).toMatch(/embedded in the CDA.*ZIP archive/);
  });

  it('a CDA with a DOCTYPE (400, before parsing)', async () => {
    const cda = buildCdaN3().replace('<ClinicalDocument', '<!DOCTYPE ClinicalDocument [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<ClinicalDocument');
    const error = await refusal(utf8(cda), { declaredType: 'text/xml' });
    expect(error).toMatchObject({ status: 400, code: 'invalid_cda' });
  });
});

/** An empty ZIP archive (just its end-of-central-directory record) appended to `bytes`. */
function zipAppended(bytes: Uint8Array): Uint8Array {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt32LE(bytes.length, 16); // the central directory would start here
  return concat(bytes, end);
}
