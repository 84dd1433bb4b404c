import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { listAuditEntries, recordAudit } from './audit.service.ts';

const PATIENT = '5d7c1f0e-3b2a-4c9d-8e7f-6a5b4c3d2e1f';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  for (let i = 0; i < 3; i++) {
    await recordAudit(t.deps.db, { patientId: PATIENT, actorType: 'patient', actorId: 'account:x', action: 'patient.read', outcome: 'permit', reason: 'own-record' });
  }
});
afterAll(() => t.close());

it.each([
  ['UPDATE an entry', sql`update audit_entry set outcome = 'deny' where patient_id = ${PATIENT} and seq = 2`],
  ['DELETE an entry', sql`delete from audit_entry where patient_id = ${PATIENT} and seq = 3`],
  ['TRUNCATE the entries', sql`truncate audit_entry`],
  ['DELETE a chain head', sql`delete from audit_chain_head where patient_id = ${PATIENT}`],
  ['TRUNCATE the chain heads', sql`truncate audit_chain_head`],
])('refuses to %s, and the chain stays whole', async (_what, statement) => {
  await expect(statement.execute(t.deps.db)).rejects.toThrow(/the audit log is append-only/);
  const entries = await listAuditEntries(t.deps.db, PATIENT, { limit: 10 });
  expect(entries.map((e) => [e.seq, e.outcome])).toEqual([
    [3, 'permit'],
    [2, 'permit'],
    [1, 'permit'],
  ]);
});
