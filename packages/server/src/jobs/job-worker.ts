import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { Metrics } from '../http/metrics.ts';
import { type ClaimedJob, claimDueJobs, completeJob, countJobs, failJob, purgeDoneJobs, retryJobLater } from './job.repository.ts';
import { retryDelayMs } from './job-backoff.ts';
import { NO_PATIENT } from './job-queue.ts';
import { onJobEnqueued } from './job-wakeups.ts';

/** What a handler is told about the job it runs. */
export interface JobContext {
  jobId: string;
  kind: string;
  /** Undefined for a job that concerns no patient. */
  patientId: string | undefined;
  payload: Readonly<Record<string, unknown>>;
  /** From 1. */
  attempt: number;
}

/**
 * Runs one job. It must be idempotent: it runs again after a failure, and after a crash between
 * its work and the record of its success. It throws to ask for a retry; its error's message is
 * stored and logged, so it names systems and rules, never health data.
 */
export type JobHandler = (job: JobContext) => Promise<void>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;

/** The logger's methods the worker uses (pino's, through Fastify's `app.log`). */
export interface JobLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface JobWorker {
  /** Polls now rather than at the next interval. */
  wake(): void;
  /** Runs jobs until none is due and none is running (tests, tools). */
  drain(): Promise<void>;
  /** Stops claiming jobs and waits up to `timeoutMs` for those running; a job still running then keeps its lease. */
  stop(timeoutMs: number): Promise<void>;
}

export interface JobWorkerOptions {
  db: Kysely<Database>;
  clock: Clock;
  handlers: JobHandlers;
  /** Jobs run at once by this worker, at least 1. */
  concurrency: number;
  pollIntervalMs: number;
  /** Attempts before a job is marked failed. */
  maxAttempts: number;
  /** How long a claimed job is this worker's; a handler still running then counts as failed. */
  leaseMs?: number;
  /** How long done jobs (and their dedupe keys) are kept. */
  retentionMs?: number;
  log: JobLog;
  metrics?: Metrics['jobs'];
}

export const DEFAULT_LEASE_MS = 5 * 60_000;
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60_000;
/** After an enqueue, polls this soon and again a little later, for when the caller's commit comes late. */
const WAKE_DELAYS_MS = [5, 50, 250, 1000];
const PURGE_EVERY_MS = 60 * 60_000;
const COUNT_EVERY_MS = 15_000;
const MAX_ERROR_LENGTH = 500;

/**
 * Runs the jobs of the kinds it has handlers for, `concurrency` at a time: polls the job table every
 * `pollIntervalMs`, sooner after an enqueue in this process or when a job finishes. Each claim is
 * one statement, and handlers run outside any transaction, so it never holds the embedded
 * database's only connection while something else waits for it.
 */
export function startJobWorker(options: JobWorkerOptions): JobWorker {
  const { db, clock, handlers, concurrency, pollIntervalMs, maxAttempts, log, metrics } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be at least 1, got ${concurrency}`);
  const kinds = Object.keys(handlers);
  const running = new Set<Promise<void>>();
  let stopped = false;

  // Rounds (claim, then start what was claimed) never overlap, whoever asks for one.
  let rounds: Promise<number> = Promise.resolve(0);
  const round = () => (rounds = rounds.then(claimAndStart));

  async function claimAndStart(): Promise<number> {
    const free = concurrency - running.size;
    if (stopped || free <= 0) return 0;
    let jobs: ClaimedJob[];
    try {
      const now = clock.now();
      jobs = await claimDueJobs(db, {
        kinds,
        now,
        leaseUntil: new Date(now.getTime() + leaseMs),
        lockToken: randomUUID(),
        limit: free,
      });
    } catch (error) {
      log.error({ error: messageOf(error) }, 'could not claim jobs; the next poll tries again');
      return 0;
    }
    for (const job of jobs) {
      const run = runJob(job).finally(() => {
        running.delete(run);
        // A slot is free: another job may be waiting for it.
        schedule(0);
      });
      running.add(run);
    }
    await housekeeping();
    return jobs.length;
  }

  async function runJob(job: ClaimedJob): Promise<void> {
    const fields = { jobId: job.jobId, kind: job.kind, attempt: job.attempt };
    let failure: unknown;
    if (job.attempt > maxAttempts) {
      // Its last attempt was claimed and never reported: the worker died during it.
      failure = new Error('The worker stopped during the last attempt.');
    } else {
      try {
        await withinLease(handlers[job.kind]!(contextOf(job)), leaseMs);
      } catch (error) {
        failure = error ?? new Error('The handler failed without an error.');
      }
    }
    try {
      const now = clock.now();
      if (failure === undefined) {
        if (await completeJob(db, job, now)) metrics?.done.inc({ kind: job.kind });
        else log.warn(fields, 'a job finished after its lease ran out; it may run again');
        return;
      }
      const message = messageOf(failure);
      if (job.attempt >= maxAttempts) {
        if (await failJob(db, job, now, message)) {
          metrics?.failed.inc({ kind: job.kind });
          log.error({ ...fields, error: message }, 'job failed after its last attempt');
        }
        return;
      }
      const runAt = new Date(now.getTime() + retryDelayMs(job.attempt));
      if (await retryJobLater(db, job, runAt, message)) {
        metrics?.retried.inc({ kind: job.kind });
        log.warn({ ...fields, error: message, retryAt: runAt.toISOString() }, 'job failed; it runs again later');
      }
    } catch (error) {
      log.error({ ...fields, error: messageOf(error) }, 'could not record a job’s outcome; it runs again when its lease runs out');
    }
  }

  let lastPurge = 0;
  let lastCount = 0;
  /** Purges done jobs past their retention, refreshes the gauge; failures are logged only. */
  async function housekeeping() {
    try {
      if (Date.now() - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = Date.now();
        const before = new Date(clock.now().getTime() - retentionMs);
        while ((await purgeDoneJobs(db, before)) > 0 && !stopped);
      }
      if (metrics !== undefined && Date.now() - lastCount >= COUNT_EVERY_MS) {
        lastCount = Date.now();
        const counts = await countJobs(db);
        metrics.stored.set({ state: 'pending' }, counts.pending);
        metrics.stored.set({ state: 'failed' }, counts.failed);
      }
    } catch (error) {
      log.error({ error: messageOf(error) }, 'job housekeeping failed; it runs again later');
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let soon: number[] = [];
  function schedule(delayMs: number) {
    if (stopped) return;
    const at = Date.now() + delayMs;
    if (timer !== undefined && timerAt <= at) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => void tick(), delayMs);
    // The worker never keeps the process alive on its own; shutdown stops it.
    timer.unref();
  }
  async function tick() {
    timer = undefined;
    timerAt = Infinity;
    const claimed = await round();
    if (claimed > 0 && running.size < concurrency) schedule(0);
    else if (claimed === 0 && soon.length > 0) schedule(soon.shift()!);
    else schedule(pollIntervalMs);
  }
  function wake() {
    soon = WAKE_DELAYS_MS.filter((ms) => ms < pollIntervalMs);
    schedule(0);
  }

  const unsubscribe = onJobEnqueued(wake);
  schedule(0);

  return {
    wake,
    async drain() {
      while (!stopped) {
        const claimed = await round();
        if (running.size > 0) await Promise.allSettled([...running]);
        else if (claimed === 0) return;
      }
    },
    async stop(timeoutMs) {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      // A claim in progress adds its jobs to `running` before it resolves.
      await rounds;
      if (running.size === 0) return;
      let deadline: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.allSettled([...running]).then(() => true),
        new Promise<false>((resolve) => (deadline = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(deadline);
      if (!finished) {
        log.warn({ running: running.size }, 'jobs still running at shutdown; they run again when their lease runs out');
      }
    },
  };
}

const contextOf = (job: ClaimedJob): JobContext => ({
  jobId: job.jobId,
  kind: job.kind,
  patientId: job.patientId === NO_PATIENT ? undefined : job.patientId,
  payload: job.payload,
  attempt: job.attempt,
});

/** The handler's outcome, or a failure once the lease runs out (another worker may take the job then). */
async function withinLease(work: Promise<void>, leaseMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The job took longer than its lease of ${leaseMs} ms.`)), leaseMs);
    timer.unref();
  });
  // A handler that fails after its lease has nobody left to tell.
  work.catch(() => {});
  try {
    await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/** The message alone: an error's other fields (a database error's detail) may quote values. */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…` : message;
}
