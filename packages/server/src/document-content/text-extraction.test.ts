import { describe, expect, it } from 'vitest';
import { CarnetError } from '../errors.ts';
import { buildCdaN1, buildCdaN3 } from './fixtures/cda-builder.ts';
import { tinyJpeg, tinyPng, tinyTiff } from './fixtures/image-builder.ts';
import { buildPdf } from './fixtures/pdf-builder.ts';
import { PdfTextWorkers } from './pdf-text.ts';
import { rtfToText } from './rtf-text.ts';
import { extractText } from './text-extraction.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('extractText', () => {
  it("reads a PDF's text layer, accents and all, across pages", async () => {
    const lines = Array.from({ length: 60 }, (_, n) => `Ligne ${n + 1} : état général conservé, œdème absent`);
    const text = await extractText(buildPdf(['Compte rendu opératoire', ...lines], { padToBytes: 100_000 }), 'application/pdf');
    expect(text.split('\n')[0]).toBe('Compte rendu opératoire');
    expect(text).toContain('Ligne 60 : état général conservé, œdème absent');
  });

  it('stops at the character cap and the page cap', async () => {
    const pdf = buildPdf(Array.from({ length: 200 }, (_, n) => `Ligne ${n + 1} du compte rendu`));
    expect((await extractText(pdf, 'application/pdf', { maxChars: 100 })).length).toBe(100);
    const firstPage = await extractText(pdf, 'application/pdf', { maxPages: 1 });
    expect(firstPage).toContain('Ligne 50 du compte rendu');
    expect(firstPage).not.toContain('Ligne 51 du compte rendu');
  });

  it('refuses, with a typed error, a PDF it cannot read', async () => {
    const broken = utf8('%PDF-1.7\nthis is not a PDF body\n%%EOF\n');
    const error = await extractText(broken, 'application/pdf').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CarnetError);
    expect(error).toMatchObject({ code: 'text_extraction_failed' });
  });

  it('stops a PDF read that runs past its time', async () => {
    const pdf = buildPdf(['x'], { padToBytes: 2_000_000 });
    // A pool of its own: a worker that has not yet loaded pdf.js cannot answer within 1 ms, where
    // the shared pool's warm one sometimes could.
    const workers = new PdfTextWorkers();
    const error = await extractText(pdf, 'application/pdf', { timeoutMs: 1 }, { workers }).catch((caught: unknown) => caught);
    await workers.close();
    expect(error).toMatchObject({ code: 'text_extraction_failed', message: expect.stringMatching(/took longer than/) });
  });

  it('gives plain text as it is, without its byte order mark', async () => {
    expect(await extractText(utf8('\uFEFFGlycémie : 0,94 g/L'), 'text/plain; charset=utf-8')).toBe('Glycémie : 0,94 g/L');
  });

  it("gives a structured CDA's header and narrative", async () => {
    const text = await extractText(utf8(buildCdaN3()), 'text/xml');
    expect(text).toContain('Compte rendu de consultation');
    expect(text).toContain('Patient : CAMILLE ANNE DURAND');
    expect(text).toContain('Glycémie à jeun 0,94 g/L 0,70 – 1,10 g/L');
  });

  it("gives a level 1 CDA's header and its embedded PDF's text", async () => {
    const pdf = buildPdf(['Compte rendu d’imagerie', 'Radiographie thoracique normale.']);
    const text = await extractText(utf8(buildCdaN1({ pdf, title: 'Radiographie du thorax' })), 'text/xml');
    expect(text.split('\n')[0]).toBe('Radiographie du thorax');
    expect(text).toContain('Radiographie thoracique normale.');
  });

  it('gives nothing for images (no OCR)', async () => {
    for (const [bytes, type] of [[tinyJpeg(), 'image/jpeg'], [tinyPng(), 'image/png'], [tinyTiff(), 'image/tiff']] as const) {
      expect(await extractText(bytes, type)).toBe('');
    }
  });

  it('refuses a type it does not know', async () => {
    await expect(extractText(utf8('x'), 'application/zip')).rejects.toMatchObject({ status: 415 });
  });
});

describe('rtfToText', () => {
  const rtf = (body: string) => utf8(`{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}{\\colortbl;\\red255\\green0\\blue0;}${body}}`);

  it('keeps the body text, decodes code-page bytes and \\u characters, and drops tables and hidden destinations', async () => {
    const text = await extractText(
      rtf(
        '{\\*\\generator Traitement de texte;}{\\info{\\title Titre caché}{\\author Dr X}}' +
          '\\pard\\f0\\fs24 Ordonnance du Dr Bernard\\par ' +
          'Parac\\\'e9tamol 1 g \\endash  3 fois par jour\\par ' +
          '{\\b Attention\\b0} : \\u339?dème \\{léger\\}\\line fin\\par ' +
          '{\\pict\\pngblip 89504e470d0a1a0a}',
      ),
      'text/rtf',
    );
    expect(text).toBe('Ordonnance du Dr Bernard\nParacétamol 1 g – 3 fois par jour\nAttention : œdème {léger}\nfin');
  });

  it('reads raw 8-bit bytes in the code page, or as UTF-8 when they are UTF-8', () => {
    const raw = (text: string, encoding: BufferEncoding) => new Uint8Array(Buffer.from(`{\\rtf1\\ansi\\ansicpg1252 ${text}}`, encoding));
    expect(rtfToText(raw('Glycémie élevée', 'latin1'), 100)).toBe('Glycémie élevée');
    expect(rtfToText(raw('Glycémie élevée', 'utf8'), 100)).toBe('Glycémie élevée');
  });

  it('is not confused by control words named like object properties', () => {
    expect(rtfToText(rtf('\\constructor A\\toString B\\hasOwnProperty'), 100)).toBe('AB');
  });

  it('stops at the character cap', () => {
    expect(rtfToText(rtf(`${'a'.repeat(1000)}\\par`), 10)).toBe('aaaaaaaaaa');
  });
});
