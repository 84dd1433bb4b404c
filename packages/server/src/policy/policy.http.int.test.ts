import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browserish, createTestAccount, headersOf, loginFully, type TestAccount } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { listAuditEntries } from '../audit/audit.service.ts';
import { POLICY_CASES, type PolicyCase } from './policy.cases.ts';
import type { Action } from './policy.ts';

/**
 * Every row of the policy table, through every route that performs its action: the route answers
 * what the policy decided (200, 403, or 404 for what the actor may not know of), and the decision is
 * in the patient's audit chain. A route that decided on its own, or forgot to ask, fails here.
 */
const ROUTES: Record<Action, { name: string; request: (patientId: string) => InjectOptions }[]> = {
  'patient.read': [
    { name: 'GET /api/patients/:id', request: (id) => ({ url: `/api/patients/${id}` }) },
    { name: 'GET /fhir/R4/Patient/:id', request: (id) => ({ url: `/fhir/R4/Patient/${id}` }) },
  ],
  'access-history.read': [
    { name: 'GET /api/patients/:id/access-history', request: (id) => ({ url: `/api/patients/${id}/access-history` }) },
    { name: 'GET /fhir/R4/AuditEvent?patient=', request: (id) => ({ url: `/fhir/R4/AuditEvent?patient=Patient/${id}` }) },
  ],
  'settings.read': [{ name: 'GET /api/patients/:id/settings', request: (id) => ({ url: `/api/patients/${id}/settings` }) }],
  'settings.write': [
    {
      name: 'PUT /api/patients/:id/settings',
      request: (id) => ({
        method: 'PUT',
        url: `/api/patients/${id}/settings`,
        payload: { notifications: { newDocument: false, newMessage: false, reminders: false } },
      }),
    },
  ],
};

let t: TestApp;
let holder: TestAccount;
let other: TestAccount;
const sessions = {} as Record<PolicyCase['actor'], Browserish>;

beforeAll(async () => {
  t = await startTestApp();
  holder = await createTestAccount(t, { kind: 'patient' });
  other = await createTestAccount(t, { kind: 'patient' });
  const professional = await createTestAccount(t, { kind: 'professional' });
  const operator = await createTestAccount(t, { kind: 'operator' });
  sessions.patient = await loginFully(t, holder);
  sessions.professional = await loginFully(t, professional);
  sessions.operator = await loginFully(t, operator);
});
afterAll(() => t.close());

const cases = POLICY_CASES.flatMap((c) => ROUTES[c.action].map((route) => ({ ...c, route: route.name, request: route.request })));

describe('each decision of the policy table, through its HTTP routes', () => {
  it.each(cases)('$actor · $route on $record record → permit $permit ($reason)', async (c) => {
    // The patient acts on their own space or on someone else's; others always on the holder's.
    const patientId = c.actor === 'patient' && c.record === 'another patient' ? other.patientId! : holder.patientId!;
    const request = c.request(patientId);
    const settingsBefore = await settingsRow(patientId);

    const res = await t.app.inject({ ...request, headers: { ...headersOf(sessions[c.actor]), ...request.headers } });

    expect(res.statusCode, res.body).toBe(c.permit ? 200 : c.hidden ? 404 : 403);
    if (!c.permit) {
      const { ins_matricule } = await t.deps.db.selectFrom('patient').select('ins_matricule').where('patient_id', '=', patientId).executeTakeFirstOrThrow();
      expect(res.body).not.toContain(ins_matricule);
      expect(await settingsRow(patientId)).toEqual(settingsBefore);
    }
    const [latest] = await listAuditEntries(t.deps.db, patientId, { limit: 1 });
    expect(latest).toMatchObject({
      actorType: c.actor,
      action: c.action,
      outcome: c.permit ? 'permit' : 'deny',
      reason: c.reason,
      sourceIp: '127.0.0.1',
    });
  });

  it('covers every action of the policy with at least one route', () => {
    for (const c of POLICY_CASES) expect(ROUTES[c.action].length, c.action).toBeGreaterThan(0);
  });
});

const settingsRow = (patientId: string) =>
  t.deps.db.selectFrom('patient_settings').selectAll().where('patient_id', '=', patientId).executeTakeFirst();
