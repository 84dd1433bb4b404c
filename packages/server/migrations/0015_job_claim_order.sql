-- Workers claim the oldest due jobs (`order by run_at nulls first, created_at`, jobs.repository.ts).
-- Indexed in that order, a claim reads the head of the queue and stops at its limit; indexed on
-- run_at alone, it sorted every pending job at each claim, which slowed claims in step with the
-- backlog (2.6 ms a claim behind 1,500 pending text extractions).
drop index job_due;
create index job_due on job (run_at asc nulls first, created_at) where state = 'pending';
