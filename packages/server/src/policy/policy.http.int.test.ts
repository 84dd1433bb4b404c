import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browserish, createTestAccount, headersOf, loginFully, type TestAccount } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { listAuditEntries } from '../audit/audit.service.ts';
import { registerProfessional } from '../care-team/care-team.test-helpers.ts';
import { buildPdf } from '../document-content/fixtures/pdf-builder.ts';
import { seedDocument } from '../mhd/mhd.test-support.ts';
import { buildProvideBundle } from '../mhd/provide-bundle.fixture.ts';
import { POLICY_CASES, type PolicyCase, type Situation } from './policy.cases.ts';
import { type Action, filerOfPatient, filerOfProfessional, purposeOf } from './policy.ts';

/** What a route's request may need besides the patient: the professional concerned, the row's situation. */
interface Fixture {
  rpps: string;
  given: Situation;
}

/**
 * Every row of the policy table, through every route that performs its action: the route answers
 * what the policy decided (2xx, 403, or 404 for what the actor may not know of), and the decision is
 * in the patient's audit chain. A route that decided on its own, or forgot to ask, fails here.
 */
const ROUTES: Record<Action, { name: string; request: (patientId: string, fixture: Fixture) => InjectOptions | Promise<InjectOptions> }[]> = {
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
        payload: { notifications: { newDocument: false, newMessage: false, reminders: false, professionalAccess: false } },
      }),
    },
  ],
  // The document routes of IHE MHD (mhd/): ITI-68 and the DocumentReference read on a document of
  // the row's facts, ITI-67 and ITI-66 searches, ITI-65 filing. The patient app's routes join them.
  'document.read': [
    {
      name: 'GET /fhir/R4/DocumentReference/:id',
      request: async (id, fixture) => ({ url: `/fhir/R4/DocumentReference/${(await documentOf(id, fixture)).documentId}` }),
    },
    { name: 'GET /fhir/R4/Binary/:id (ITI-68)', request: async (id, fixture) => ({ url: `/fhir/R4/Binary/${(await documentOf(id, fixture)).fileId}` }) },
  ],
  'document.search': [
    { name: 'GET /fhir/R4/DocumentReference?patient=&status= (ITI-67)', request: (id) => ({ url: `/fhir/R4/DocumentReference?patient=Patient/${id}&status=current` }) },
    { name: 'GET /fhir/R4/List?patient=&code=submissionset (ITI-66)', request: (id) => ({ url: `/fhir/R4/List?patient=Patient/${id}&code=submissionset` }) },
  ],
  'document.file': [
    {
      name: 'POST /fhir/R4 (ITI-65)',
      request: (id, { rpps }) => ({
        method: 'POST',
        url: '/fhir/R4',
        headers: { 'content-type': 'application/fhir+json' },
        payload: JSON.stringify(buildProvideBundle({ ins: { matricule: '', oid: '' }, patientId: id, author: { rpps }, documents: [{ bytes: buildPdf(['Compte rendu']) }] })),
      }),
    },
  ],
  'document.manage': [],
  'care-team.read': [
    { name: 'GET /api/patients/:id/professionals', request: (id) => ({ url: `/api/patients/${id}/professionals` }) },
    { name: 'GET /api/patients/:id/emergency-access', request: (id) => ({ url: `/api/patients/${id}/emergency-access` }) },
  ],
  'care-team.write': [
    {
      name: 'PUT /api/patients/:id/professionals/:rpps/block',
      request: (id, { rpps }) => ({ method: 'PUT', url: `/api/patients/${id}/professionals/${rpps}/block` }),
    },
    {
      name: 'DELETE /api/patients/:id/professionals/:rpps/block',
      request: (id, { rpps }) => ({ method: 'DELETE', url: `/api/patients/${id}/professionals/${rpps}/block` }),
    },
    {
      name: 'PUT /api/patients/:id/professionals/:rpps/roles/MEDECIN_TRAITANT',
      request: (id, { rpps }) => ({ method: 'PUT', url: `/api/patients/${id}/professionals/${rpps}/roles/MEDECIN_TRAITANT` }),
    },
    {
      name: 'DELETE /api/patients/:id/professionals/:rpps/roles/ADMINISTRATEUR',
      request: (id, { rpps }) => ({ method: 'DELETE', url: `/api/patients/${id}/professionals/${rpps}/roles/ADMINISTRATEUR` }),
    },
    {
      name: 'DELETE /api/patients/:id/professionals/:rpps/consent',
      request: (id, { rpps }) => ({ method: 'DELETE', url: `/api/patients/${id}/professionals/${rpps}/consent` }),
    },
    {
      name: 'PUT /api/patients/:id/emergency-access',
      request: (id) => ({
        method: 'PUT',
        url: `/api/patients/${id}/emergency-access`,
        payload: { samuRegulation: 'deny', breakTheGlass: 'permit', maskedInEmergency: 'permit' },
      }),
    },
  ],
  'consent.declare': [
    { name: 'POST /api/professional/patients/:id/consent', request: (id) => ({ method: 'POST', url: `/api/professional/patients/${id}/consent` }) },
  ],
  'emergency.access': [
    {
      name: 'POST /api/professional/patients/:id/emergency-access',
      request: (id, { given }) => ({
        method: 'POST',
        url: `/api/professional/patients/${id}/emergency-access`,
        payload: { mode: given.asks ?? 'break-the-glass', reason: 'Patiente inconsciente aux urgences, recherche des antécédents' },
      }),
    },
  ],
};

/** Actions whose routes another module brings (see above); the coverage test below allows them none yet. */
const ROUTES_PENDING: ReadonlySet<Action> = new Set(['document.manage']);

let t: TestApp;
let holder: TestAccount;
let other: TestAccount;
let rpps: string;
const sessions = {} as Record<PolicyCase['actor'], Browserish>;

beforeAll(async () => {
  t = await startTestApp();
  holder = await createTestAccount(t, { kind: 'patient' });
  other = await createTestAccount(t, { kind: 'patient' });
  const professional = await createTestAccount(t, { kind: 'professional' });
  const operator = await createTestAccount(t, { kind: 'operator' });
  rpps = await registerProfessional(t, professional);
  sessions.patient = await loginFully(t, holder);
  sessions.professional = await loginFully(t, professional);
  sessions.operator = await loginFully(t, operator);
});
afterAll(() => t.close());

/** Puts the holder's space and the professional in the row's situation, from a clean slate. */
async function arrange(given: Situation) {
  const db = t.deps.db;
  const patientId = holder.patientId!;
  for (const table of ['professional_block', 'professional_role', 'consent_declaration', 'emergency_access', 'emergency_access_setting'] as const) {
    await db.deleteFrom(table).where('patient_id', '=', patientId).execute();
  }
  await db.updateTable('patient').set({ status: given.space ?? 'active' }).where('patient_id', '=', patientId).execute();
  await db.updateTable('professional').set({ profession_code: given.profession ?? '10' }).where('rpps', '=', rpps).execute();
  const now = t.deps.clock.now();
  if (given.blocked) await db.insertInto('professional_block').values({ patient_id: patientId, rpps, blocked_at: now }).execute();
  for (const role of given.roles ?? []) {
    await db.insertInto('professional_role').values({ patient_id: patientId, rpps, role, declared_at: now }).execute();
  }
  if (given.consent) await db.insertInto('consent_declaration').values({ patient_id: patientId, rpps, declared_at: now }).execute();
  if (given.emergency) {
    await db
      .insertInto('emergency_access')
      .values({
        patient_id: patientId,
        emergency_access_id: crypto.randomUUID(),
        rpps,
        mode: given.emergency,
        reason: 'Patiente inconsciente aux urgences',
        started_at: now,
        expires_at: new Date(now.getTime() + 3_600_000),
      })
      .execute();
  }
  if (given.switches) {
    await db
      .insertInto('emergency_access_setting')
      .values({
        patient_id: patientId,
        samu_regulation: given.switches.samuRegulation ?? 'permit',
        break_the_glass: given.switches.breakTheGlass ?? 'permit',
        masked_in_emergency: given.switches.maskedInEmergency ?? 'deny',
        updated_at: now,
      })
      .execute();
  }
}

/** Everything a refused request must leave as it was. */
async function state(patientId: string) {
  const db = t.deps.db;
  const of = (table: 'professional_block' | 'professional_role' | 'consent_declaration' | 'emergency_access' | 'emergency_access_setting') =>
    db.selectFrom(table).selectAll().where('patient_id', '=', patientId).execute();
  return {
    settings: await db.selectFrom('patient_settings').selectAll().where('patient_id', '=', patientId).executeTakeFirst(),
    blocks: await of('professional_block'),
    roles: await of('professional_role'),
    consents: await of('consent_declaration'),
    emergencies: await of('emergency_access'),
    switches: await of('emergency_access_setting'),
  };
}

/** A document in the space with the row's facts (a consultation report filed by another professional unless said). */
function documentOf(patientId: string, { rpps, given }: Fixture) {
  const document = given.document ?? { type: '11488-4' };
  const filer =
    document.filedBy === 'this professional'
      ? filerOfProfessional(rpps)
      : document.filedBy === 'the patient'
        ? filerOfPatient(patientId)
        : filerOfProfessional('10001234565');
  return seedDocument(t, patientId, { type: document.type, ...(document.class === undefined ? {} : { class: document.class }), labels: document.labels ?? ['N'], filer });
}

const cases = POLICY_CASES.flatMap((c) =>
  ROUTES[c.action].map((route) => ({ ...c, route: route.name, request: route.request, situation: JSON.stringify(c.given) })),
);

describe('each decision of the policy table, through its HTTP routes', () => {
  it.each(cases)('$actor · $route on $record record, given $situation → permit $permit ($reason)', async (c) => {
    await arrange(c.given);
    // The patient acts on their own space or on someone else's; others always on the holder's.
    const patientId = c.actor === 'patient' && c.record === 'another patient' ? other.patientId! : holder.patientId!;
    const request = await c.request(patientId, { rpps, given: c.given });
    const before = await state(patientId);

    const res = await t.app.inject({ ...request, headers: { ...headersOf(sessions[c.actor]), ...request.headers } });

    if (c.permit) expect([200, 201, 204], res.body).toContain(res.statusCode);
    else expect(res.statusCode, res.body).toBe(c.hidden ? 404 : 403);
    if (!c.permit) {
      const { ins_matricule } = await t.deps.db.selectFrom('patient').select('ins_matricule').where('patient_id', '=', patientId).executeTakeFirstOrThrow();
      expect(res.body).not.toContain(ins_matricule);
      expect(await state(patientId)).toEqual(before);
    }
    const [latest] = await listAuditEntries(t.deps.db, patientId, { limit: 1 });
    expect(latest).toMatchObject({
      actorType: c.actor,
      action: c.action,
      outcome: c.permit ? 'permit' : 'deny',
      reason: c.reason,
      purpose: c.purpose ?? purposeOf({ kind: c.actor } as Parameters<typeof purposeOf>[0]),
      sourceIp: '127.0.0.1',
    });
  });

  it('covers every action of the policy with at least one route', () => {
    for (const c of POLICY_CASES) {
      if (ROUTES_PENDING.has(c.action)) expect(ROUTES[c.action], `${c.action} has routes now: remove it from ROUTES_PENDING`).toEqual([]);
      else expect(ROUTES[c.action].length, c.action).toBeGreaterThan(0);
    }
  });
});
