import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { JobState } from './job.table.ts';

type Db = Kysely<Database>;

export interface NewJob {
  patientId: string;
  jobId: string;
  kind: string;
  payload: Record<string, unknown>;
  runAt: Date | null;
  dedupeKey: string | null;
}

/** Inserts a job, unless one with the same dedupe key is pending or done for that patient. */
export async function insertJob(db: Db, job: NewJob): Promise<boolean> {
  const result = await db
    .insertInto('job')
    .values({
      patient_id: job.patientId,
      job_id: job.jobId,
      kind: job.kind,
      payload: JSON.stringify(job.payload),
      run_at: job.runAt,
      dedupe_key: job.dedupeKey,
      lock_token: null,
      last_error: null,
    })
    // The target names the partial unique index job_dedupe, predicate included, with its value as
    // a literal: a prepared statement's generic plan cannot prove `state <> $1` implies the index's
    // predicate, and would find no arbiter index.
    .onConflict((oc) =>
      oc.columns(['patient_id', 'dedupe_key']).where('dedupe_key', 'is not', null).where('state', '<>', sql.lit('failed')).doNothing(),
    )
    .executeTakeFirst();
  return result.numInsertedOrUpdatedRows === 1n;
}

export interface ClaimedJob {
  patientId: string;
  jobId: string;
  kind: string;
  payload: Record<string, unknown>;
  /** This attempt's number, from 1. */
  attempt: number;
  lockToken: string;
}

/**
 * Takes up to `limit` due jobs of the given kinds under a lease until `leaseUntil`, in one
 * statement (no transaction stays open). SKIP LOCKED lets workers claim side by side without
 * waiting on each other or taking the same job; a job whose lease ran out is due again.
 */
export async function claimDueJobs(
  db: Db,
  claim: { kinds: readonly string[]; now: Date; leaseUntil: Date; lockToken: string; limit: number },
): Promise<ClaimedJob[]> {
  if (claim.kinds.length === 0 || claim.limit <= 0) return [];
  const { rows } = await sql<{ patient_id: string; job_id: string; kind: string; payload: Record<string, unknown>; attempts: number }>`
    update job
       set attempts = attempts + 1, locked_until = ${claim.leaseUntil}, lock_token = ${claim.lockToken}
     where (patient_id, job_id) in (
             select patient_id, job_id from job
              where state = 'pending'
                and (run_at is null or run_at <= ${claim.now})
                and (locked_until is null or locked_until <= ${claim.now})
                and kind in (${sql.join(claim.kinds)})
              order by run_at nulls first, created_at
              limit ${claim.limit}
                for update skip locked)
    returning patient_id, job_id, kind, payload, attempts`.execute(db);
  return rows.map((row) => ({
    patientId: row.patient_id,
    jobId: row.job_id,
    kind: row.kind,
    payload: row.payload,
    attempt: row.attempts,
    lockToken: claim.lockToken,
  }));
}

type Held = Pick<ClaimedJob, 'patientId' | 'jobId' | 'lockToken'>;

/** The job, if this worker still holds its lease. */
const held = (db: Db, job: Held) =>
  db
    .updateTable('job')
    .where('patient_id', '=', job.patientId)
    .where('job_id', '=', job.jobId)
    .where('state', '=', 'pending')
    .where('lock_token', '=', job.lockToken);

/** Each returns false when the lease was lost (the job was taken again meanwhile). */
export async function completeJob(db: Db, job: Held, now: Date): Promise<boolean> {
  const result = await held(db, job)
    .set({ state: 'done', finished_at: now, locked_until: null, lock_token: null })
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function retryJobLater(db: Db, job: Held, runAt: Date, error: string): Promise<boolean> {
  const result = await held(db, job)
    .set({ run_at: runAt, locked_until: null, lock_token: null, last_error: error })
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function failJob(db: Db, job: Held, now: Date, error: string): Promise<boolean> {
  const result = await held(db, job)
    .set({ state: 'failed', finished_at: now, locked_until: null, lock_token: null, last_error: error })
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Deletes done jobs finished before `before`, a batch at a time; their dedupe keys free up. */
export async function purgeDoneJobs(db: Db, before: Date, batch = 1000): Promise<number> {
  const result = await db
    .deleteFrom('job')
    .where(({ eb, refTuple, selectFrom }) =>
      eb(
        refTuple('patient_id', 'job_id'),
        'in',
        selectFrom('job')
          .select(['patient_id', 'job_id'])
          .where('state', '=', 'done')
          .where('finished_at', '<', before)
          .limit(batch)
          .$asTuple('patient_id', 'job_id'),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** How many jobs wait (due or not) and how many failed for good, for the metrics. */
export async function countJobs(db: Db): Promise<Record<Exclude<JobState, 'done'>, number>> {
  const rows = await db
    .selectFrom('job')
    .select(['state', (eb) => eb.fn.countAll<string>().as('count')])
    .where('state', 'in', ['pending', 'failed'])
    .groupBy('state')
    .execute();
  const count = (state: JobState) => Number(rows.find((row) => row.state === state)?.count ?? 0);
  return { pending: count('pending'), failed: count('failed') };
}
