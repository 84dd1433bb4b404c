import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type JobState = 'pending' | 'done' | 'failed';

/** Durable jobs (migration 0011). */
export interface JobTable {
  /** The nil UUID for a job that concerns no patient. */
  patient_id: string;
  job_id: string;
  kind: string;
  payload: JSONColumnType<Record<string, unknown>>;
  state: Generated<JobState>;
  dedupe_key: string | null;
  run_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  attempts: Generated<number>;
  locked_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  lock_token: string | null;
  last_error: string | null;
  created_at: ColumnType<Date, never, never>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}
