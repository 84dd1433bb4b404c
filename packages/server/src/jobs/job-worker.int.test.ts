import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ManualClock, useManualClock } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { enqueueJob, NO_PATIENT } from './job-queue.ts';
import { DEFAULT_LEASE_MS, DEFAULT_RETENTION_MS, type JobContext, type JobHandler, type JobLog, type JobWorker, startJobWorker } from './job-worker.ts';
import { FIRST_RETRY_MS } from './job-backoff.ts';

let t: TestApp;
let clock: ManualClock;
beforeAll(async () => {
  t = await startTestApp();
  clock = useManualClock(t.deps);
});
afterAll(() => t.close());

const workers: JobWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop(0);
});

function recordingLog() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: object, message: string) => void lines.push({ level, fields: fields as Record<string, unknown>, message });
  const log: JobLog = { info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
}

/** A worker for one test's own job kind, polling rarely: tests drive it with drain(). */
function worker(handlers: Record<string, JobHandler>, options: { concurrency?: number; maxAttempts?: number; log?: JobLog } = {}) {
  const started = startJobWorker({
    db: t.deps.db,
    clock: t.deps.clock,
    handlers,
    concurrency: options.concurrency ?? 2,
    pollIntervalMs: 3_600_000,
    maxAttempts: options.maxAttempts ?? 5,
    log: options.log ?? recordingLog().log,
    metrics: t.deps.metrics.jobs,
  });
  workers.push(started);
  return started;
}

/** A kind of its own per test, so that one test's workers never run another's jobs. */
const newKind = () => `test.${randomUUID()}`;

const jobsOf = (kind: string) =>
  t.deps.db.selectFrom('job').selectAll().where('kind', '=', kind).orderBy('created_at').execute();

/** A promise the test resolves when it wants. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const metric = async (name: string, kind: string) => {
  const found = (await t.deps.metrics.registry.getSingleMetric(name)?.get())?.values.find((v) => v.labels.kind === kind);
  return found?.value ?? 0;
};

describe('the job queue', () => {
  it('runs a job only if the transaction that enqueued it commits', async () => {
    const kind = newKind();
    const ran: JobContext[] = [];
    const w = worker({ [kind]: async (job) => void ran.push(job) });
    const patientId = randomUUID();

    await expect(
      t.deps.db.transaction().execute(async (trx) => {
        await enqueueJob(trx, { kind, patientId, payload: { step: 'rolled back' } });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    await t.deps.db.transaction().execute((trx) => enqueueJob(trx, { kind, patientId, payload: { step: 'committed' } }));
    await w.drain();

    expect(ran.map((job) => job.payload)).toEqual([{ step: 'committed' }]);
    expect(ran[0]).toMatchObject({ kind, patientId, attempt: 1 });
    expect(await jobsOf(kind)).toEqual([expect.objectContaining({ state: 'done', attempts: 1, last_error: null })]);
    expect(await metric('jobs_done_total', kind)).toBe(1);
  });

  it('enqueues a job with the same dedupe key once while the first is pending or done', async () => {
    const kind = newKind();
    const patientId = randomUUID();
    await enqueueJob(t.deps.db, { kind, patientId, payload: { n: 1 }, dedupeKey: 'same' });
    await enqueueJob(t.deps.db, { kind, patientId, payload: { n: 2 }, dedupeKey: 'same' });
    // The key is per patient, and a job without a key is never deduplicated.
    await enqueueJob(t.deps.db, { kind, patientId: randomUUID(), payload: { n: 3 }, dedupeKey: 'same' });
    await enqueueJob(t.deps.db, { kind, patientId, payload: { n: 4 } });
    await enqueueJob(t.deps.db, { kind, patientId, payload: { n: 4 } });
    const ran: unknown[] = [];
    await worker({ [kind]: async (job) => void ran.push(job.payload.n) }).drain();
    expect(ran.sort()).toEqual([1, 3, 4, 4]);

    await enqueueJob(t.deps.db, { kind, patientId, payload: { n: 5 }, dedupeKey: 'same' });
    expect(await jobsOf(kind)).toHaveLength(4);
  });

  it('frees a dedupe key once its job failed for good, or once the done job is purged', async () => {
    const kind = newKind();
    const patientId = randomUUID();
    await enqueueJob(t.deps.db, { kind, patientId, payload: { n: 1 }, dedupeKey: 'k' });
    const failing = worker({ [kind]: () => Promise.reject(new Error('no')) }, { maxAttempts: 1 });
    await failing.drain();
    // Stopped, or the next enqueue's wake-up would let it take the next job too.
    await failing.stop(0);
    expect(await jobsOf(kind)).toEqual([expect.objectContaining({ state: 'failed' })]);

    await enqueueJob(t.deps.db, { kind, patientId, payload: { n: 2 }, dedupeKey: 'k' });
    await worker({ [kind]: async () => {} }).drain();
    expect((await jobsOf(kind)).map((job) => [job.payload.n, job.state])).toEqual([[1, 'failed'], [2, 'done']]);
    await enqueueJob(t.deps.db, { kind, patientId, payload: { n: 3 }, dedupeKey: 'k' });
    expect(await jobsOf(kind)).toHaveLength(2);

    // A new worker purges at its first round; the done job is past the retention period by then.
    clock.advance(DEFAULT_RETENTION_MS + 1);
    await worker({ [kind]: async () => {} }).drain();
    expect((await jobsOf(kind)).map((job) => job.payload.n)).toEqual([1]);
    await enqueueJob(t.deps.db, { kind, patientId, payload: { n: 3 }, dedupeKey: 'k' });
    expect((await jobsOf(kind)).map((job) => job.payload.n)).toEqual([1, 3]);
  });

  it('runs a job of no patient with patientId undefined', async () => {
    const kind = newKind();
    const ran: JobContext[] = [];
    await enqueueJob(t.deps.db, { kind, payload: {} });
    await worker({ [kind]: async (job) => void ran.push(job) }).drain();
    expect(ran).toEqual([expect.objectContaining({ patientId: undefined })]);
    expect(await jobsOf(kind)).toEqual([expect.objectContaining({ patient_id: NO_PATIENT, state: 'done' })]);
  });

  it('waits for runAt before running a job', async () => {
    const kind = newKind();
    const ran: unknown[] = [];
    const w = worker({ [kind]: async (job) => void ran.push(job.payload.n) });
    await enqueueJob(t.deps.db, { kind, payload: { n: 1 }, runAt: new Date(clock.now().getTime() + 60_000) });
    await w.drain();
    expect(ran).toEqual([]);
    clock.advance(60_000);
    await w.drain();
    expect(ran).toEqual([1]);
  });

  it('leaves the jobs of kinds it has no handler for to another worker', async () => {
    const known = newKind();
    const unknown = newKind();
    await enqueueJob(t.deps.db, { kind: unknown, payload: {} });
    await enqueueJob(t.deps.db, { kind: known, payload: {} });
    await worker({ [known]: async () => {} }).drain();
    expect(await jobsOf(known)).toEqual([expect.objectContaining({ state: 'done' })]);
    expect(await jobsOf(unknown)).toEqual([expect.objectContaining({ state: 'pending', attempts: 0 })]);
  });
});

describe('retries', () => {
  it('retries a failing job after a growing delay, then marks it failed with its last error', async () => {
    const kind = newKind();
    const { log, lines } = recordingLog();
    let calls = 0;
    const w = worker(
      {
        [kind]: async () => {
          calls += 1;
          throw new Error(`relay refused (${calls})`);
        },
      },
      { maxAttempts: 3, log },
    );
    await enqueueJob(t.deps.db, { kind, payload: {} });

    await w.drain();
    const [first] = await jobsOf(kind);
    expect(first).toMatchObject({ state: 'pending', attempts: 1, last_error: 'relay refused (1)', locked_until: null });
    expect(first!.run_at!.getTime()).toBe(clock.now().getTime() + FIRST_RETRY_MS);

    // Not before its time.
    clock.advance(FIRST_RETRY_MS - 1);
    await w.drain();
    expect(calls).toBe(1);

    clock.advance(1);
    await w.drain();
    const [second] = await jobsOf(kind);
    expect(second).toMatchObject({ state: 'pending', attempts: 2, last_error: 'relay refused (2)' });
    expect(second!.run_at!.getTime()).toBe(clock.now().getTime() + 2 * FIRST_RETRY_MS);

    clock.advance(2 * FIRST_RETRY_MS);
    await w.drain();
    expect(await jobsOf(kind)).toEqual([expect.objectContaining({ state: 'failed', attempts: 3, last_error: 'relay refused (3)' })]);

    // Failed for good: no more attempts, however long one waits.
    clock.advance(24 * 60 * 60_000);
    await w.drain();
    expect(calls).toBe(3);
    expect(await metric('jobs_retried_total', kind)).toBe(2);
    expect(await metric('jobs_failed_total', kind)).toBe(1);
    expect(lines.filter((l) => l.level === 'error')).toEqual([
      expect.objectContaining({ message: 'job failed after its last attempt', fields: expect.objectContaining({ kind, attempt: 3, error: 'relay refused (3)' }) }),
    ]);
  });

  it('takes a job again when its worker stopped before finishing and the lease ran out', async () => {
    const kind = newKind();
    const stuck = gate();
    const claimed = gate();
    const { log, lines } = recordingLog();
    const crashed = worker(
      {
        [kind]: () => {
          claimed.open();
          return stuck.opened;
        },
      },
      { log },
    );
    await enqueueJob(t.deps.db, { kind, payload: {} });
    await claimed.opened;
    // The process dies: the job is left claimed.
    await crashed.stop(0);

    const ran: number[] = [];
    const next = worker({ [kind]: async (job) => void ran.push(job.attempt) });
    await next.drain();
    expect(ran).toEqual([]);

    clock.advance(DEFAULT_LEASE_MS);
    await next.drain();
    expect(ran).toEqual([2]);
    expect(await jobsOf(kind)).toEqual([expect.objectContaining({ state: 'done', attempts: 2 })]);

    // The first worker comes back to life and finishes late: it no longer holds the job.
    stuck.open();
    await vi.waitFor(() => expect(lines).toContainEqual(expect.objectContaining({ message: 'a job finished after its lease ran out; it may run again' })));
    expect(await jobsOf(kind)).toEqual([expect.objectContaining({ state: 'done', attempts: 2, last_error: null })]);
  });

  it('marks failed a job whose worker stopped during its last attempt', async () => {
    const kind = newKind();
    const claimed = gate();
    const crashed = worker(
      {
        [kind]: () => {
          claimed.open();
          return new Promise<void>(() => {});
        },
      },
      { maxAttempts: 1 },
    );
    await enqueueJob(t.deps.db, { kind, payload: {} });
    await claimed.opened;
    await crashed.stop(0);
    clock.advance(DEFAULT_LEASE_MS);
    let ran = false;
    await worker({ [kind]: async () => void (ran = true) }, { maxAttempts: 1 }).drain();
    expect(ran).toBe(false);
    expect(await jobsOf(kind)).toEqual([
      expect.objectContaining({ state: 'failed', attempts: 2, last_error: 'The worker stopped during the last attempt.' }),
    ]);
  });
});

describe('workers side by side', () => {
  it('never run the same job twice', async () => {
    const kind = newKind();
    const runs = new Map<string, number>();
    const handler: JobHandler = async (job) => {
      runs.set(job.jobId, (runs.get(job.jobId) ?? 0) + 1);
      // Yield, so that the other worker claims while this one holds jobs.
      await new Promise((resolve) => setImmediate(resolve));
    };
    for (let i = 0; i < 30; i++) await enqueueJob(t.deps.db, { kind, patientId: randomUUID(), payload: { i } });
    const a = worker({ [kind]: handler }, { concurrency: 3 });
    const b = worker({ [kind]: handler }, { concurrency: 3 });
    await Promise.all([a.drain(), b.drain(), a.drain()]);
    expect(runs.size).toBe(30);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    expect((await jobsOf(kind)).every((job) => job.state === 'done' && job.attempts === 1)).toBe(true);
  });
});

describe('stopping', () => {
  it('waits for the running job, and claims nothing new meanwhile', async () => {
    const kind = newKind();
    const running = gate();
    const claimed = gate();
    const w = worker({
      [kind]: async (job) => {
        if (job.payload.n === 1) {
          claimed.open();
          await running.opened;
        }
      },
    });
    await enqueueJob(t.deps.db, { kind, payload: { n: 1 } });
    await claimed.opened;
    let stopped = false;
    const stopping = w.stop(60_000).then(() => (stopped = true));
    await enqueueJob(t.deps.db, { kind, payload: { n: 2 } });
    expect(stopped).toBe(false);

    running.open();
    await stopping;
    const jobs = await jobsOf(kind);
    expect(jobs.map((job) => [job.payload.n, job.state])).toEqual([[1, 'done'], [2, 'pending']]);
    expect(jobs[1]!.attempts).toBe(0);
  });

  it('gives up waiting after its timeout, leaving the job to its lease', async () => {
    const kind = newKind();
    const claimed = gate();
    const { log, lines } = recordingLog();
    const w = worker(
      {
        [kind]: () => {
          claimed.open();
          return new Promise<void>(() => {});
        },
      },
      { log },
    );
    await enqueueJob(t.deps.db, { kind, payload: {} });
    await claimed.opened;
    await w.stop(10);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'jobs still running at shutdown; they run again when their lease runs out' }));
    expect(await jobsOf(kind)).toEqual([expect.objectContaining({ state: 'pending', attempts: 1 })]);
  });
});

describe('waking up', () => {
  it('runs a job enqueued in this process without waiting for the next poll', async () => {
    const kind = newKind();
    const ran = gate();
    // Polling once an hour: only the enqueue's wake-up can start the job within the test.
    const w = worker({ [kind]: async () => ran.open() });
    // Its first rounds are over: the next poll is an hour away.
    await w.drain();
    await t.deps.db.transaction().execute(async (trx) => {
      await enqueueJob(trx, { kind, payload: {} });
      // The commit comes a little after the enqueue.
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    await ran.opened;
    await vi.waitFor(async () => expect(await jobsOf(kind)).toEqual([expect.objectContaining({ state: 'done' })]));
  });
});
