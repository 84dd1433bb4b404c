import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserOf, createTestAccount, headersOf, loginFully, loginWithPassword, type ManualClock, PASSWORD, useManualClock } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { SYSTEM_CHAIN_ID } from '../audit/audit.entry.ts';
import { listAuditEntries } from '../audit/audit.service.ts';
import { totpCode } from '../login/totp.ts';

let t: TestApp;
let clock: ManualClock;
beforeAll(async () => {
  t = await startTestApp();
  clock = useManualClock(t.deps);
});
afterAll(() => t.close());

const chain = (patientId: string | null) => listAuditEntries(t.deps.db, patientId, { limit: 100 });

describe("an account's security events in the audit log", () => {
  it("puts a patient's logins, failed logins, ended sessions and logout in the history of their space", async () => {
    const holder = await createTestAccount(t, { kind: 'patient' });
    expect((await loginWithPassword(t, { ...holder, password: 'not the password at all' })).statusCode).toBe(401);
    const first = await loginFully(t, holder);
    clock.advance(30_000); // an authenticator code is good once: the second login takes the next one
    await loginFully(t, holder);
    const sessions = (await t.app.inject({ url: '/api/sessions', headers: headersOf(first) })).json().sessions;
    const other = sessions.find((s: { current: boolean }) => !s.current).id as string;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/sessions/${other}`, headers: headersOf(first) })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/api/logout', headers: headersOf(first) })).statusCode).toBe(204);

    const events = (await chain(holder.patientId!)).reverse();
    expect(events.map((e) => [e.action, e.outcome, e.reason])).toEqual([
      ['login.failed', 'deny', 'invalid-credentials'],
      ['login', 'permit', 'pwd+otp'],
      ['login', 'permit', 'pwd+otp'],
      ['session.end', 'permit', 'ended-by-user'],
      ['logout', 'permit', 'logout'],
    ]);
    for (const e of events) {
      expect(e).toMatchObject({ actorType: 'patient', actorId: `account:${holder.accountId}`, sourceIp: '127.0.0.1' });
    }
    expect(events[3]!.resourceId).toBe(other);
  });

  it('records the enrolment of a first second factor, then the login it completes', async () => {
    const holder = await createTestAccount(t, { kind: 'patient', totp: false });
    const partial = browserOf(t, await loginWithPassword(t, holder));
    const started = await t.app.inject({ method: 'POST', url: '/api/auth/totp/enrolment', headers: headersOf(partial) });
    expect(started.statusCode).toBe(200);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/enrolment/confirm',
      headers: headersOf(partial),
      payload: { code: totpCode(started.json().secret, t.deps.clock.now()) },
    });
    expect(confirmed.statusCode).toBe(200);
    const events = (await chain(holder.patientId!)).reverse();
    expect(events.map((e) => [e.action, e.reason])).toEqual([
      ['second-factor.enrol', 'totp'],
      ['login', 'pwd+otp'],
    ]);
  });

  it('records a password change in one transaction with it', async () => {
    const holder = await createTestAccount(t, { kind: 'patient' });
    const session = await loginFully(t, holder);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/account/password',
      headers: headersOf(session),
      payload: { currentPassword: PASSWORD, newPassword: 'un tout autre mot de passe, bien long' },
    });
    expect(res.statusCode).toBe(204);
    const [latest] = await chain(holder.patientId!);
    expect(latest).toMatchObject({ action: 'password.change', outcome: 'permit' });
  });

  it("keeps professionals' and unknown addresses' events in the system chain, without any e-mail address", async () => {
    const pro = await createTestAccount(t, { kind: 'professional' });
    await loginFully(t, pro);
    const unknown = await loginWithPassword(t, { kind: 'patient', email: 'personne.inconnue@exemple.test', password: 'peu importe, vraiment' });
    expect(unknown.statusCode).toBe(401);
    const system = await chain(null);
    expect(system.find((e) => e.actorId === `account:${pro.accountId}`)).toMatchObject({ actorType: 'professional', action: 'login', outcome: 'permit' });
    expect(system.find((e) => e.actorId === 'account:unknown')).toMatchObject({ actorType: 'patient', action: 'login.failed', outcome: 'deny' });
    const rows = await t.deps.db.selectFrom('audit_entry').selectAll().where('patient_id', '=', SYSTEM_CHAIN_ID).execute();
    expect(JSON.stringify(rows)).not.toMatch(/@exemple\.test/);
  });

  it('shows the holder their own logins in the access history', async () => {
    const holder = await createTestAccount(t, { kind: 'patient' });
    const session = await loginFully(t, holder);
    const history = (await t.app.inject({ url: `/api/patients/${holder.patientId}/access-history`, headers: headersOf(session) })).json();
    expect(history.entries.map((e: { action: string }) => e.action)).toEqual(['access-history.read', 'login']);
    expect(history.entries[1]).toMatchObject({ actor: { type: 'patient', self: true }, outcome: 'permit' });
  });
});
