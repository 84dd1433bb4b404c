-- Durable jobs (docs/architecture.md, "Jobs"): work a write leaves for later (notifications, text
-- extraction, campaigns), inserted in the write's own transaction, so a rolled-back write leaves
-- no job and a committed one always has its job. Workers claim due jobs with FOR UPDATE SKIP LOCKED
-- under a lease (locked_until): a job whose worker died is taken again when the lease runs out.
--
-- Patient-owned, keyed by patient_id like every such table, so that on a distributed PostgreSQL
-- the job lives on the shard of the write that enqueued it. A job that concerns no patient uses the
-- nil UUID. Payloads carry ids, never health data.
create table job (
  patient_id uuid not null,
  job_id uuid not null,
  -- Which handler runs it, e.g. 'notification'.
  kind text collate "C" not null,
  payload jsonb not null,
  -- 'pending' until a handler succeeds ('done') or the attempts run out ('failed'). A pending job
  -- is running while locked_until lies ahead.
  state text not null default 'pending' check (state in ('pending', 'done', 'failed')),
  -- Enqueuing the same key again for the same patient does nothing while a job with it is pending
  -- or done (done jobs are purged after a retention period; a failed one no longer blocks it).
  dedupe_key text collate "C",
  -- Not before this time (a retry's backoff, a reminder's date); null: at once.
  run_at timestamptz,
  attempts integer not null default 0,
  locked_until timestamptz,
  -- Who holds the lease: a worker whose lease ran out cannot complete a job taken again since.
  lock_token uuid,
  -- The last failure's message (no health data: handlers' errors name rules and systems, not values).
  last_error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  primary key (patient_id, job_id),
  check (length(dedupe_key) <= 200)
);
create unique index job_dedupe on job (patient_id, dedupe_key) where dedupe_key is not null and state <> 'failed';
create index job_due on job (run_at) where state = 'pending';
-- Purging done jobs, counting failed ones (metrics) without reading the whole table.
create index job_finished on job (state, finished_at) where state <> 'pending';

-- E-mail when a professional opens the space (at most one per professional and day). Emergency
-- accesses and declared consents are always mailed: they are the patient's safety net.
alter table patient_settings add column notify_professional_access boolean not null default true;
