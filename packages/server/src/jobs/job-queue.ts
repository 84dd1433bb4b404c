import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { insertJob } from './job.repository.ts';
import { announceJobEnqueued } from './job-wakeups.ts';

/** The patient_id of a job that concerns no patient (the job table is keyed by patient). */
export const NO_PATIENT = '00000000-0000-0000-0000-000000000000';

export interface NewJobRequest {
  /** Which handler runs it (see `JobHandlers`). */
  kind: string;
  patientId?: string;
  /** Ids and choices only, never health data: it stays in the table after the job is done. */
  payload: Record<string, unknown>;
  /** Not before this time; unset: as soon as a worker is free. */
  runAt?: Date;
  /** A second job with the same key (at most 200 characters) for the same patient is not enqueued while the first is pending or done. */
  dedupeKey?: string;
}

/**
 * Enqueues a job in the caller's transaction (pass the transaction as `db`): the job exists if
 * and only if the write that asked for it commits (security checklist K5). Handlers must be
 * idempotent: a job runs at least once, and again if its worker dies before recording the result.
 */
export async function enqueueJob(db: Kysely<Database>, job: NewJobRequest): Promise<void> {
  await insertJob(db, {
    patientId: job.patientId ?? NO_PATIENT,
    jobId: randomUUID(),
    kind: job.kind,
    payload: job.payload,
    runAt: job.runAt ?? null,
    dedupeKey: job.dedupeKey ?? null,
  });
  // Workers of this process poll a few times soon: the caller's transaction commits after this
  // returns, at a moment this function cannot see.
  announceJobEnqueued();
}
