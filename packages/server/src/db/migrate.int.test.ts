import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { migrateToLatest, pendingMigrations } from './migrate.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('applies every migration to a new database and marks it as new', async () => {
  expect(t.deps.migrations.wasEmpty).toBe(true);
  expect(t.deps.migrations.applied).toContain('0001_directory_and_patients');
  expect(await pendingMigrations(t.deps.db)).toEqual([]);
});

it('applies nothing the second time', async () => {
  const again = await migrateToLatest(t.deps.db);
  expect(again).toEqual({ applied: [], wasEmpty: false });
});

it('puts patient_id in the primary key of every patient-owned table', async () => {
  // Citus rule (docs/architecture.md): a table with a patient_id column is patient-owned, and its
  // primary and unique keys must include patient_id so that it can be distributed on it.
  const { rows } = await sql<{ table_name: string; constraint_name: string; has_patient_id: boolean }>`
    select tc.table_name, tc.constraint_name,
           bool_or(kcu.column_name = 'patient_id') as has_patient_id
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu
      on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    where tc.table_schema = current_schema()
      and tc.constraint_type in ('PRIMARY KEY', 'UNIQUE')
      and tc.table_name in (select table_name from information_schema.columns
                            where column_name = 'patient_id' and table_schema = current_schema())
      and tc.table_name not in (${sql.join(ROUTING_TABLES)})
    group by tc.table_name, tc.constraint_name`.execute(t.deps.db);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter((r) => !r.has_patient_id)).toEqual([]);
});

/** Lookup tables keyed by a national identifier or a FHIR resource id, distributed on it instead. */
const ROUTING_TABLES = ['patient_ins', 'fhir_resource_route'];
