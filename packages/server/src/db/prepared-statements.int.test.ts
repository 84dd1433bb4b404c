import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { MAX_PREPARED_PER_CONNECTION, PREPARE_AFTER_USES } from './prepared-statements.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const preparedOnThisConnection = sql<{ statement: string }>`select statement from pg_prepared_statements`;

describe('statements prepared per connection', () => {
  it('prepares a text once it runs repeatedly, and answers each run with its own parameters', async () => {
    await t.deps.db.connection().execute(async (db) => {
      const marker = `prepared-${Date.now()}`;
      const answers: string[] = [];
      for (let i = 0; i < PREPARE_AFTER_USES + 3; i++) {
        const { rows } = await sql<{ answer: string }>`select ${marker}::text || ':' || ${String(i)}::text as answer`.execute(db);
        answers.push(rows[0]!.answer);
      }
      expect(answers).toEqual(Array.from({ length: PREPARE_AFTER_USES + 3 }, (_, i) => `${marker}:${i}`));
      const statements = (await preparedOnThisConnection.execute(db)).rows.map((r) => r.statement);
      expect(statements.filter((s) => s.includes("|| ':' ||"))).toHaveLength(1);
    });
  });

  it('leaves a text run once unprepared', async () => {
    await t.deps.db.connection().execute(async (db) => {
      await sql`select ${'once'}::text as only_once_here`.execute(db);
      const statements = (await preparedOnThisConnection.execute(db)).rows.map((r) => r.statement);
      expect(statements.some((s) => s.includes('only_once_here'))).toBe(false);
    });
  });

  // A partial unique index is found as ON CONFLICT's arbiter only if the statement's predicate
  // proves the index's; a generic plan sees `state <> $1`, which proves nothing.
  it("dedupes jobs under the generic plans prepared statements end up with", async () => {
    await t.deps.db.connection().execute(async (db) => {
      await sql`set plan_cache_mode = force_generic_plan`.execute(db);
      try {
        const patientId = crypto.randomUUID();
        for (let i = 0; i < PREPARE_AFTER_USES + 2; i++) {
          await enqueueJob(db, { kind: 'test.generic-plan', patientId, payload: {}, dedupeKey: 'same' });
        }
        const jobs = await db.selectFrom('job').select('job_id').where('patient_id', '=', patientId).execute();
        expect(jobs).toHaveLength(1);
      } finally {
        await sql`reset plan_cache_mode`.execute(db);
      }
    });
  });

  // Last: it fills its connection's cache.
  it('keeps a bounded number of statements on a connection', async () => {
    await t.deps.db.connection().execute(async (db) => {
      for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 20; i++) {
        const text = sql.raw(`select $1::int + ${i} as n`);
        for (let use = 0; use < PREPARE_AFTER_USES; use++) await db.executeQuery({ ...text.compile(db), parameters: [use] });
      }
      const { rows } = await sql<{ count: string }>`select count(*) as count from pg_prepared_statements`.execute(db);
      expect(Number(rows[0]!.count)).toBeLessThanOrEqual(MAX_PREPARED_PER_CONNECTION);
    });
  });
});
