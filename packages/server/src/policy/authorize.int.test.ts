import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { listAuditEntries } from '../audit/audit.service.ts';
import type { Actor } from './actor.ts';
import { authorize, authorizeChange } from './authorize.ts';

const CAMILLE = '00000000-0000-4000-8000-000000000301';
const LUCAS = '00000000-0000-4000-8000-000000000302';
const camille: Actor = { kind: 'patient', accountId: 'a1', patientId: CAMILLE };
const lucas: Actor = { kind: 'patient', accountId: 'a2', patientId: LUCAS };
const operator: Actor = { kind: 'operator', accountId: 'op1' };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const history = (patientId: string) => listAuditEntries(t.deps.db, patientId, { limit: 100 });

it("records a permitted read in the patient's chain, with where it came from", async () => {
  await authorize({ db: t.deps.db, sourceIp: '192.0.2.10' }, { actor: camille, patientId: CAMILLE, action: 'access-history.read', purpose: 'self-service' });
  const [entry] = await history(CAMILLE);
  expect(entry).toMatchObject({ actorType: 'patient', actorId: 'account:a1', action: 'access-history.read', outcome: 'permit', reason: 'own-record', sourceIp: '192.0.2.10' });
});

it('commits a permitted change and its audit entry together, or neither', async () => {
  const before = (await history(LUCAS)).length;
  await expect(
    authorizeChange({ db: t.deps.db }, { actor: lucas, patientId: LUCAS, action: 'settings.write', purpose: 'self-service' }, async () => {
      throw new Error('the change failed');
    }),
  ).rejects.toThrow('the change failed');
  expect(await history(LUCAS)).toHaveLength(before);

  await authorizeChange({ db: t.deps.db }, { actor: lucas, patientId: LUCAS, action: 'settings.write', purpose: 'self-service' }, async () => 'done');
  expect(await history(LUCAS)).toHaveLength(before + 1);
});

it("answers another patient's data as not found, writes nothing for them, and records the denial", async () => {
  let changed = false;
  await expect(
    authorizeChange({ db: t.deps.db }, { actor: camille, patientId: LUCAS, action: 'settings.write', purpose: 'self-service' }, async () => {
      changed = true;
    }),
  ).rejects.toMatchObject({ status: 404 });
  expect(changed).toBe(false);
  const [entry] = await history(LUCAS);
  expect(entry).toMatchObject({ actorId: 'account:a1', outcome: 'deny', reason: 'not-own-record' });
});

it("refuses operator staff any patient's record, and says so in the audit log", async () => {
  await expect(
    authorize({ db: t.deps.db }, { actor: operator, patientId: CAMILLE, action: 'patient.read', purpose: 'support' }),
  ).rejects.toMatchObject({ status: 404 });
  const [entry] = await history(CAMILLE);
  expect(entry).toMatchObject({ actorType: 'operator', outcome: 'deny', reason: 'operator-no-health-data' });
});

it('answers 403 to a professional asking for what only the holder may see', async () => {
  const doctor: Actor = { kind: 'professional', accountId: 'p1', professionalId: 'pro1', rpps: '10001234565', professionCode: '10', specialtyCode: 'SM54', organizationId: null };
  await expect(
    authorize({ db: t.deps.db }, { actor: doctor, patientId: CAMILLE, action: 'access-history.read', purpose: 'care' }),
  ).rejects.toMatchObject({ status: 403 });
  const [entry] = await history(CAMILLE);
  expect(entry).toMatchObject({ actorId: 'rpps:10001234565', outcome: 'deny', reason: 'holder-only' });
});
