import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildPdf } from './fixtures/pdf-builder.ts';
import { PdfTextWorkers } from './pdf-text.ts';
import { extractText } from './text-extraction.ts';

const report = (n: number) => buildPdf([`Compte rendu ${n}`, `Glycémie du patient ${n} : 0,9${n} g/L`], { padToBytes: 100_000 });

describe('PdfTextWorkers', () => {
  const pools: PdfTextWorkers[] = [];
  const pool = (options: ConstructorParameters<typeof PdfTextWorkers>[0]) => {
    const workers = new PdfTextWorkers(options);
    pools.push(workers);
    return workers;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((workers) => workers.close()));
  });

  it('reads one PDF after another with the same thread', async () => {
    const workers = pool({ maxWorkers: 2 });
    for (const n of [1, 2, 3]) {
      expect(await extractText(report(n), 'application/pdf', {}, { workers })).toBe(`Compte rendu ${n}\nGlycémie du patient ${n} : 0,9${n} g/L`);
    }
    expect(workers.workersStarted).toBe(1);
  });

  it('reads PDFs sent together with no more threads than allowed, each getting its own text', async () => {
    const workers = pool({ maxWorkers: 2 });
    const texts = await Promise.all([1, 2, 3, 4, 5].map((n) => extractText(report(n), 'application/pdf', {}, { workers })));
    expect(texts.map((text) => text.split('\n')[0])).toEqual([1, 2, 3, 4, 5].map((n) => `Compte rendu ${n}`));
    expect(workers.workersStarted).toBe(2);
  });

  it('replaces a thread stopped for running past its time, and reads the next PDF', async () => {
    const workers = pool({ maxWorkers: 1 });
    const slow = extractText(buildPdf(['x'], { padToBytes: 2_000_000 }), 'application/pdf', { timeoutMs: 1 }, { workers });
    const next = extractText(report(7), 'application/pdf', {}, { workers });
    await expect(slow).rejects.toMatchObject({ code: 'text_extraction_failed', message: expect.stringMatching(/took longer than/) });
    expect(await next).toContain('Glycémie du patient 7');
    expect(workers.workersStarted).toBe(2);
    expect(workers.liveWorkers).toBe(1);
  });

  it('replaces a thread that ran out of memory, and reads the next PDF', async () => {
    const workers = pool({ maxWorkers: 1 });
    const starved = extractText(report(1), 'application/pdf', { maxHeapMb: 4 }, { workers });
    await expect(starved).rejects.toMatchObject({ code: 'text_extraction_failed', message: expect.stringMatching(/more memory than allowed/) });
    expect(await extractText(report(2), 'application/pdf', {}, { workers })).toContain('Compte rendu 2');
    expect(workers.workersStarted).toBe(2);
  });

  it('keeps a thread after a PDF it cannot read', async () => {
    const workers = pool({ maxWorkers: 1 });
    const broken = new TextEncoder().encode('%PDF-1.7\nthis is not a PDF body\n%%EOF\n');
    await expect(extractText(broken, 'application/pdf', {}, { workers })).rejects.toMatchObject({ code: 'text_extraction_failed' });
    expect(await extractText(report(2), 'application/pdf', {}, { workers })).toContain('Compte rendu 2');
    expect(workers.workersStarted).toBe(1);
  });

  it('ends threads left idle', async () => {
    const workers = pool({ idleMs: 20 });
    await extractText(report(1), 'application/pdf', {}, { workers });
    await vi.waitFor(() => expect(workers.liveWorkers).toBe(0));
    expect(await extractText(report(2), 'application/pdf', {}, { workers })).toContain('Compte rendu 2');
    expect(workers.workersStarted).toBe(2);
  });

  it('refuses, once closed, the PDFs still waiting and any new one', async () => {
    const workers = pool({ maxWorkers: 1 });
    const outcome = (n: number) => extractText(report(n), 'application/pdf', {}, { workers }).catch((caught: unknown) => caught);
    const [reading, waiting] = [outcome(1), outcome(2)];
    await workers.close();
    const stopped = { code: 'text_extraction_failed', message: expect.stringMatching(/stopping/) };
    expect(await reading).toMatchObject(stopped);
    expect(await waiting).toMatchObject(stopped);
    await expect(extractText(report(3), 'application/pdf', {}, { workers })).rejects.toMatchObject({ code: 'text_extraction_failed' });
    expect(workers.liveWorkers).toBe(0);
  });
});
