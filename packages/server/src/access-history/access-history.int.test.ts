import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browserish, createTestAccount, headersOf, loginFully, type TestAccount } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { recordAudit } from '../audit/audit.service.ts';

let t: TestApp;
let holder: TestAccount;
let patient: Browserish;
let doctor: Browserish;
let rpps: string;

beforeAll(async () => {
  t = await startTestApp();
  holder = await createTestAccount(t, { kind: 'patient' });
  const pro = await createTestAccount(t, { kind: 'professional' });
  await t.deps.db
    .insertInto('organization')
    .values({ organization_id: '7b0e7a52-8d2c-4a57-9f34-2f3f0e1a6c11', finess: '750000028', name: 'Maison de santé du Canal' })
    .execute();
  ({ rpps } = await t.deps.db
    .updateTable('professional')
    .set({ family_name: 'LE GALL-DURAND', given_name: 'Anne', organization_id: '7b0e7a52-8d2c-4a57-9f34-2f3f0e1a6c11' })
    .where('professional_id', '=', pro.professionalId!)
    .returning('rpps')
    .executeTakeFirstOrThrow());
  patient = await loginFully(t, holder);
  doctor = await loginFully(t, pro);
  // Something happened in the space: the doctor read it, the holder changed a setting.
  expect((await get(`/api/patients/${holder.patientId}`, doctor)).statusCode).toBe(200);
  const put = await t.app.inject({
    method: 'PUT',
    url: `/api/patients/${holder.patientId}/settings`,
    headers: headersOf(patient),
    payload: { notifications: { newDocument: true, newMessage: false, reminders: true, professionalAccess: true } },
  });
  expect(put.statusCode).toBe(200);
  // And operator staff tried to look.
  await recordAudit(t.deps.db, {
    patientId: holder.patientId!,
    actorType: 'operator',
    actorId: 'account:0d9c3b1e-2f4a-4b5c-8d6e-7f8091a2b3c4',
    action: 'patient.read',
    outcome: 'deny',
    reason: 'operator-no-health-data',
    purpose: 'support',
  });
});
afterAll(() => t.close());

const get = (url: string, as: Browserish) => t.app.inject({ url, headers: headersOf(as) });
const history = async (query = '') => {
  const res = await get(`/api/patients/${holder.patientId}/access-history${query}`, patient);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    entries: { seq: number; occurredAt: string; action: string; actor: { type: string; name: string | null; self: boolean } }[];
    nextBefore: number | null;
  };
};

describe("the patient's access history", () => {
  it('lists who did what, newest first, naming professionals with their organisation and the holder as themself', async () => {
    const { entries, nextBefore } = await history();
    expect(nextBefore).toBeNull();
    // The holder's login came first (the doctor's is in the system chain, not here).
    expect(entries.map((e) => e.action)).toEqual(['access-history.read', 'patient.read', 'settings.write', 'patient.read', 'login']);
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((a, b) => b - a));
    const [ownVisit, operatorAttempt, settings, doctorRead, login] = entries;
    expect(login).toMatchObject({ actor: { type: 'patient', self: true }, outcome: 'permit' });
    expect(ownVisit).toMatchObject({ actor: { type: 'patient', name: 'Alix Essai', self: true }, purpose: 'self-service', outcome: 'permit' });
    expect(operatorAttempt).toMatchObject({ actor: { type: 'operator', name: null, self: false }, outcome: 'deny', reason: 'operator-no-health-data' });
    expect(settings).toMatchObject({ actor: { self: true }, resourceType: 'PatientSettings', outcome: 'permit' });
    expect(doctorRead).toMatchObject({
      actor: { type: 'professional', name: 'Dr Anne Le Gall-Durand', organization: 'Maison de santé du Canal', self: false },
      purpose: 'care',
      outcome: 'permit',
      reason: 'professional-care',
    });
    expect(new Date(doctorRead!.occurredAt).toISOString()).toBe(doctorRead!.occurredAt);
  });

  it('filters by type of actor', async () => {
    const { entries } = await history('?actorType=professional');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.actor.type === 'professional')).toBe(true);
  });

  it('pages with nextBefore until the oldest entry, without repeating one', async () => {
    const seen: number[] = [];
    let page = await history('?limit=2');
    for (;;) {
      seen.push(...page.entries.map((e) => e.seq));
      if (page.nextBefore === null) break;
      page = await history(`?limit=2&before=${page.nextBefore}`);
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(Math.min(...seen)).toBe(1);
  });

  it('refuses parameters it does not know, and limits out of range, with 400', async () => {
    for (const query of ['?limit=0', '?limit=101', '?actorType=robot', '?before=x', '?sort=asc']) {
      const res = await get(`/api/patients/${holder.patientId}/access-history${query}`, patient);
      expect(res.statusCode, query).toBe(400);
    }
  });
});

describe('the access history as FHIR AuditEvent', () => {
  it('gives the holder BALP-shaped AuditEvents of their record, paged by a next link', async () => {
    const res = await get(`/fhir/R4/AuditEvent?patient=Patient/${holder.patientId}&_count=3`, patient);
    expect(res.statusCode).toBe(200);
    const bundle = res.json();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(bundle.entry).toHaveLength(3);
    for (const { resource } of bundle.entry) {
      expect(resource).toMatchObject({
        resourceType: 'AuditEvent',
        recorded: expect.any(String),
        agent: [expect.objectContaining({ requestor: true })],
        source: { observer: { display: 'Carnet' } },
        entity: expect.arrayContaining([expect.objectContaining({ what: { reference: `Patient/${holder.patientId}` } })]),
      });
      expect(resource.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    }
    // Follow the next links to the end: every event once.
    const all = [...bundle.entry];
    let link = bundle.link.find((l: { relation: string }) => l.relation === 'next');
    while (link !== undefined) {
      const page = (await get(link.url.replace(t.deps.config.baseUrl, ''), patient)).json();
      all.push(...page.entry);
      link = page.link.find((l: { relation: string }) => l.relation === 'next');
    }
    const ids = all.map((e: { resource: { id: string } }) => e.resource.id);
    expect(new Set(ids).size).toBe(ids.length);

    const doctorEvent = all
      .map((e: { resource: { agent: { who: { identifier?: unknown } }[] } }) => e.resource)
      .find((r) => r.agent[0]!.who.identifier !== undefined);
    expect(doctorEvent).toMatchObject({
      action: 'R',
      outcome: '0',
      purposeOfEvent: [{ coding: [{ code: 'TREAT' }] }],
      agent: [{ who: { identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: `8${rpps}` }, display: 'Dr Anne Le Gall-Durand' }, network: { address: '127.0.0.1' } }],
    });
  });

  it('requires the patient parameter and refuses a malformed one', async () => {
    expect((await get('/fhir/R4/AuditEvent', patient)).statusCode).toBe(400);
    const res = await get('/fhir/R4/AuditEvent?patient=Patient/x', patient);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ expression: ['patient'] }] });
  });
});
