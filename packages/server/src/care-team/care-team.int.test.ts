import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Browserish, createTestAccount, headersOf, loginFully, type ManualClock, type TestAccount, useManualClock } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { listAuditEntries } from '../audit/audit.service.ts';
import type { Actor } from '../policy/actor.ts';
import { filerOfProfessional } from '../policy/policy.ts';
import { randomValidRpps, registerProfessional } from './care-team.test-helpers.ts';
import { authorizeDocumentFiling, authorizeDocumentRead, authorizeDocumentSearch } from './document-access.ts';

let t: TestApp;
let clock: ManualClock;
let holder: TestAccount;
let holderSession: Browserish;
const pros = {} as Record<'doctor' | 'otherDoctor' | 'nurse', { account: TestAccount; session: Browserish; rpps: string }>;

beforeAll(async () => {
  t = await startTestApp();
  clock = useManualClock(t.deps);
  holder = await createTestAccount(t, { kind: 'patient' });
  holderSession = await loginFully(t, holder);
  for (const [name, profession] of [['doctor', '10'], ['otherDoctor', '10'], ['nurse', '60']] as const) {
    const account = await createTestAccount(t, { kind: 'professional' });
    const rpps = await registerProfessional(t, account, profession);
    pros[name] = { account, rpps, session: await loginFully(t, account) };
  }
});
afterAll(() => t.close());

beforeEach(async () => {
  for (const table of ['professional_block', 'professional_role', 'consent_declaration', 'emergency_access', 'emergency_access_setting'] as const) {
    await t.deps.db.deleteFrom(table).where('patient_id', '=', holder.patientId!).execute();
  }
  await t.deps.db.updateTable('patient').set({ status: 'active' }).where('patient_id', '=', holder.patientId!).execute();
});

const base = () => `/api/patients/${holder.patientId}`;
const asHolder = (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url: `${base()}${url}`, headers: headersOf(holderSession), ...(payload ? { payload } : {}) });
const asPro = (who: keyof typeof pros, url: string, payload?: object) =>
  t.app.inject({
    method: url === '' ? 'GET' : 'POST',
    url: url === '' ? base() : `/api/professional/patients/${holder.patientId}${url}`,
    headers: headersOf(pros[who].session),
    ...(payload ? { payload } : {}),
  });
const careTeam = async () => (await asHolder('GET', '/professionals')).json().professionals as Record<string, unknown>[];
const member = async (who: keyof typeof pros) => (await careTeam()).find((m) => m.rpps === pros[who].rpps);
const latestEntry = async () => (await listAuditEntries(t.deps.db, holder.patientId!, { limit: 1 }))[0];
const notifications = async (kind: string) =>
  (await t.deps.db.selectFrom('job').selectAll().where('patient_id', '=', holder.patientId!).execute()).filter(
    (job) => (job.payload as { kind?: string }).kind === kind,
  );
const breakGlass = { mode: 'break-the-glass', reason: 'Patiente inconsciente aux urgences, recherche des antécédents' };

describe('consent declared by a professional', () => {
  it('is recorded, audited, shown to the holder and notified to them; the holder can withdraw it', async () => {
    const before = (await notifications('consent-declared')).length;
    const res = await asPro('doctor', '/consent');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ declaredAt: clock.now().toISOString() });
    expect(await latestEntry()).toMatchObject({ actorId: `rpps:${pros.doctor.rpps}`, action: 'consent.declare', outcome: 'permit', purpose: 'care' });
    expect(await notifications('consent-declared')).toHaveLength(before + 1);
    expect(await member('doctor')).toMatchObject({
      name: { family: 'ESSAI', given: 'Sacha' },
      profession: { code: '10', display: 'Médecin' },
      blocked: false,
      roles: [],
      consentDeclaredAt: clock.now().toISOString(),
    });

    expect((await asHolder('DELETE', `/professionals/${pros.doctor.rpps}/consent`)).statusCode).toBe(204);
    expect(await latestEntry()).toMatchObject({ actorType: 'patient', action: 'care-team.write', resourceId: `rpps:${pros.doctor.rpps}` });
    expect(await member('doctor')).toBeUndefined();
  });
});

describe('blocking a professional', () => {
  it('leaves them nothing, not even whose record it is, an emergency or filing; unblocking gives it back', async () => {
    expect((await asHolder('PUT', `/professionals/${pros.doctor.rpps}/block`)).statusCode).toBe(204);
    expect(await member('doctor')).toMatchObject({ blocked: true });

    expect((await asPro('doctor', '')).statusCode).toBe(403);
    expect((await asPro('doctor', '/consent')).statusCode).toBe(403);
    expect((await asPro('doctor', '/emergency-access', breakGlass)).statusCode).toBe(403);
    expect(await latestEntry()).toMatchObject({ action: 'emergency.access', outcome: 'deny', reason: 'blocked-by-patient' });
    const filed = await authorizeDocumentFiling(context('doctor'), holder.patientId!, async () => 'filed').catch((e: unknown) => e);
    expect(filed).toMatchObject({ status: 403 });
    expect(await t.deps.db.selectFrom('consent_declaration').selectAll().where('patient_id', '=', holder.patientId!).execute()).toEqual([]);
    expect(await t.deps.db.selectFrom('emergency_access').selectAll().where('patient_id', '=', holder.patientId!).execute()).toEqual([]);

    expect((await asHolder('DELETE', `/professionals/${pros.doctor.rpps}/block`)).statusCode).toBe(204);
    expect((await asPro('doctor', '')).statusCode).toBe(200);
  });

  it('answers an unknown RPPS with 404, and a malformed one with 400, changing nothing', async () => {
    const nobody = randomValidRpps();
    const unknown = await asHolder('PUT', `/professionals/${nobody}/block`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toContain(`No professional with RPPS ${nobody} in the directory`);
    const badKey = await asHolder('PUT', '/professionals/10000000001/block');
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().detail).toContain('Luhn');
    expect((await asHolder('PUT', '/professionals/1234/block')).statusCode).toBe(400);
    expect(await careTeam()).toEqual([]);
  });

  it('lets the holder take back a block, a role and a consent of a professional who has left the directory', async () => {
    const gone = randomValidRpps();
    const now = new Date();
    await t.deps.db.insertInto('professional_block').values({ patient_id: holder.patientId!, rpps: gone, blocked_at: now }).execute();
    await t.deps.db.insertInto('professional_role').values({ patient_id: holder.patientId!, rpps: gone, role: 'ADMINISTRATEUR', declared_at: now }).execute();
    await t.deps.db.insertInto('consent_declaration').values({ patient_id: holder.patientId!, rpps: gone, declared_at: now }).execute();
    expect((await asHolder('DELETE', `/professionals/${gone}/block`)).statusCode).toBe(204);
    expect((await asHolder('DELETE', `/professionals/${gone}/roles/ADMINISTRATEUR`)).statusCode).toBe(204);
    expect((await asHolder('DELETE', `/professionals/${gone}/consent`)).statusCode).toBe(204);
    expect(await careTeam()).toEqual([]);
    // Granting still needs the directory.
    expect((await asHolder('PUT', `/professionals/${gone}/roles/ADMINISTRATEUR`)).statusCode).toBe(404);
  });
});

describe('roles the holder gives', () => {
  it('keeps one treating doctor at most, who must be a médecin; an administrator may be any professional', async () => {
    expect((await asHolder('PUT', `/professionals/${pros.doctor.rpps}/roles/MEDECIN_TRAITANT`)).statusCode).toBe(204);
    // Idempotent.
    expect((await asHolder('PUT', `/professionals/${pros.doctor.rpps}/roles/MEDECIN_TRAITANT`)).statusCode).toBe(204);
    const second = await asHolder('PUT', `/professionals/${pros.otherDoctor.rpps}/roles/MEDECIN_TRAITANT`);
    expect(second.statusCode).toBe(409);
    expect(second.json().detail).toContain(`RPPS ${pros.doctor.rpps} is already the treating doctor`);
    const nurseAsDoctor = await asHolder('PUT', `/professionals/${pros.nurse.rpps}/roles/MEDECIN_TRAITANT`);
    expect(nurseAsDoctor.statusCode).toBe(400);
    expect(nurseAsDoctor.json().detail).toContain('Infirmier');
    expect((await asHolder('PUT', `/professionals/${pros.nurse.rpps}/roles/ADMINISTRATEUR`)).statusCode).toBe(204);
    expect((await asHolder('PUT', `/professionals/${pros.nurse.rpps}/roles/NOT_A_ROLE`)).statusCode).toBe(400);

    expect((await careTeam()).map((m) => [m.rpps, m.roles])).toEqual(
      expect.arrayContaining([
        [pros.doctor.rpps, ['MEDECIN_TRAITANT']],
        [pros.nurse.rpps, ['ADMINISTRATEUR']],
      ]),
    );
    expect(await member('otherDoctor')).toBeUndefined();

    expect((await asHolder('DELETE', `/professionals/${pros.doctor.rpps}/roles/MEDECIN_TRAITANT`)).statusCode).toBe(204);
    expect((await asHolder('PUT', `/professionals/${pros.otherDoctor.rpps}/roles/MEDECIN_TRAITANT`)).statusCode).toBe(204);
    expect(await member('doctor')).toBeUndefined();
  });

  it('refuses a professional who would change them', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `${base()}/professionals/${pros.doctor.rpps}/roles/MEDECIN_TRAITANT`,
      headers: headersOf(pros.doctor.session),
    });
    expect(res.statusCode).toBe(403);
    expect(await careTeam()).toEqual([]);
  });
});

describe('emergency access', () => {
  it('starts with SAMU and break-the-glass permitted and masked documents hidden; the holder changes them', async () => {
    expect((await asHolder('GET', '/emergency-access')).json()).toEqual({ samuRegulation: 'permit', breakTheGlass: 'permit', maskedInEmergency: 'deny' });
    const change = { samuRegulation: 'permit', breakTheGlass: 'deny', maskedInEmergency: 'permit' };
    expect((await asHolder('PUT', '/emergency-access', change)).json()).toEqual(change);
    expect((await asHolder('PUT', '/emergency-access', { ...change, breakTheGlass: 'maybe' })).statusCode).toBe(400);
    expect((await asHolder('PUT', '/emergency-access', { samuRegulation: 'permit' })).statusCode).toBe(400);
    expect((await asHolder('GET', '/emergency-access')).json()).toEqual(change);
  });

  it('needs a written reason to break the glass, and changes nothing without one', async () => {
    for (const reason of [undefined, '', 'urgence', 'aaaaaaaaaaaaaaaaaaaa', 'x y z w v u t s r q']) {
      const res = await asPro('doctor', '/emergency-access', { mode: 'break-the-glass', ...(reason === undefined ? {} : { reason }) });
      expect(res.statusCode, String(reason)).toBe(400);
      expect(res.json().detail).toContain('written reason');
    }
    expect(await t.deps.db.selectFrom('emergency_access').selectAll().where('patient_id', '=', holder.patientId!).execute()).toEqual([]);
  });

  it('is time-limited, audited with purpose emergency, notified to the patient, and lets the professional read', async () => {
    const before = (await notifications('emergency-access')).length;
    const res = await asPro('nurse', '/emergency-access', breakGlass);
    expect(res.statusCode).toBe(201);
    const expiresAt = new Date(clock.now().getTime() + t.deps.config.emergencyAccessMinutes * 60_000).toISOString();
    expect(res.json()).toMatchObject({ mode: 'break-the-glass', startedAt: clock.now().toISOString(), expiresAt });
    expect(await latestEntry()).toMatchObject({ action: 'emergency.access', outcome: 'permit', reason: 'break-the-glass', purpose: 'emergency' });
    expect(await notifications('emergency-access')).toHaveLength(before + 1);
    const [stored] = await t.deps.db.selectFrom('emergency_access').selectAll().where('patient_id', '=', holder.patientId!).execute();
    expect(stored).toMatchObject({ rpps: pros.nurse.rpps, reason: breakGlass.reason });

    await authorizeDocumentRead(context('nurse'), holder.patientId!, { id: 'doc-1', typeCode: '11488-4', securityLabels: ['N'], filer: null });
    expect(await latestEntry()).toMatchObject({ action: 'document.read', resourceId: 'doc-1', outcome: 'permit', purpose: 'emergency' });
    await expect(
      authorizeDocumentRead(context('nurse'), holder.patientId!, { id: 'doc-2', typeCode: '11488-4', securityLabels: ['MASQUE_PS'], filer: null }),
    ).rejects.toMatchObject({ status: 404 });
    expect(await latestEntry()).toMatchObject({ resourceId: 'doc-2', outcome: 'deny', reason: 'masked' });

    expect(await member('nurse')).toMatchObject({ lastEmergencyAccess: { mode: 'break-the-glass', expiresAt } });

    const started = clock.now();
    clock.advance(t.deps.config.emergencyAccessMinutes * 60_000);
    await expect(
      authorizeDocumentRead(context('nurse'), holder.patientId!, { id: 'doc-1', typeCode: '11488-4', securityLabels: ['N'], filer: null }),
    ).rejects.toMatchObject({ status: 403 });
    expect(await latestEntry()).toMatchObject({ outcome: 'deny', reason: 'no-consent' });
    // Back to the start, before the sessions of the other tests time out.
    clock.set(started);
  });

  it("is refused when the patient's switch denies it, and SAMU regulation to anyone but a médecin", async () => {
    await asHolder('PUT', '/emergency-access', { samuRegulation: 'deny', breakTheGlass: 'deny', maskedInEmergency: 'deny' });
    expect((await asPro('doctor', '/emergency-access', breakGlass)).statusCode).toBe(403);
    expect(await latestEntry()).toMatchObject({ outcome: 'deny', reason: 'emergency-refused-by-patient' });
    expect((await asPro('doctor', '/emergency-access', { mode: 'samu-regulation' })).statusCode).toBe(403);
    await asHolder('PUT', '/emergency-access', { samuRegulation: 'permit', breakTheGlass: 'deny', maskedInEmergency: 'deny' });
    expect((await asPro('nurse', '/emergency-access', { mode: 'samu-regulation' })).statusCode).toBe(403);
    expect(await latestEntry()).toMatchObject({ outcome: 'deny', reason: 'regulation-physicians-only' });
    expect(await t.deps.db.selectFrom('emergency_access').selectAll().where('patient_id', '=', holder.patientId!).execute()).toEqual([]);
    expect((await asPro('doctor', '/emergency-access', { mode: 'samu-regulation' })).statusCode).toBe(201);
  });
});

describe('the document rules as services', () => {
  it("restricts a search to the professional's own documents until the patient's consent is declared", async () => {
    const own = await authorizeDocumentSearch(context('doctor'), holder.patientId!);
    expect(own).toEqual({ kind: 'token', param: 'filer', codes: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', code: `8${pros.doctor.rpps}` }] });
    expect(await latestEntry()).toMatchObject({ action: 'document.search', outcome: 'permit', reason: 'author' });
    await asPro('doctor', '/consent');
    const withConsent = await authorizeDocumentSearch(context('doctor'), holder.patientId!);
    expect(withConsent.kind).toBe('any-of');
    await authorizeDocumentRead(context('doctor'), holder.patientId!, {
      typeCode: '11488-4',
      securityLabels: ['MASQUE_PS'],
      filer: filerOfProfessional(pros.doctor.rpps),
    });
    expect(await latestEntry()).toMatchObject({ outcome: 'permit', reason: 'author' });
  });

  it('files without consent, with the holder’s default mask, and not on a closed space', async () => {
    const settings = await t.app.inject({
      method: 'PUT',
      url: `${base()}/settings`,
      headers: headersOf(holderSession),
      payload: { notifications: { newDocument: true, newMessage: true, reminders: true, professionalAccess: true }, documents: { maskNewDocuments: true } },
    });
    expect(settings.statusCode).toBe(200);
    const filing = await authorizeDocumentFiling(context('nurse'), holder.patientId!, async (_trx, f) => f.maskNewDocuments);
    expect(filing).toBe(true);
    expect(await latestEntry()).toMatchObject({ action: 'document.file', outcome: 'permit', reason: 'professional-filing' });

    await t.deps.db.updateTable('patient').set({ status: 'closed' }).where('patient_id', '=', holder.patientId!).execute();
    let ran = false;
    await expect(
      authorizeDocumentFiling(context('nurse'), holder.patientId!, async () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ status: 403 });
    expect(ran).toBe(false);
    expect(await latestEntry()).toMatchObject({ action: 'document.file', outcome: 'deny', reason: 'space-not-active' });
  });
});

/** The access context of a professional's software or session, for the document services. */
function context(who: keyof typeof pros) {
  const actor: Actor = {
    kind: 'professional',
    accountId: pros[who].account.accountId,
    professionalId: pros[who].account.professionalId!,
    rpps: pros[who].rpps,
    professionCode: who === 'nurse' ? '60' : '10',
    specialtyCode: null,
    organizationId: null,
  };
  return { db: t.deps.db, actor, sourceIp: '192.0.2.20', clock: t.deps.clock };
}
