import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeader, createTestAccount, loginFully, loginWithPassword, type ManualClock, useManualClock } from '../../test/identity.ts';
import { type SmtpSink, startSmtpSink } from '../../test/smtp-sink.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let sink: SmtpSink;
let clock: ManualClock;
beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({ env: { SMTP_RELAY_URL: sink.url, CARNET_BASE_URL: 'https://carnet.test' } });
  clock = useManualClock(t.deps);
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

const ask = (email: string, kind = 'patient') =>
  t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { kind, email } });
const confirm = (token: string, newPassword: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token, newPassword } });
const tokenIn = (text: string) => /https:\/\/carnet\.test\/nouveau-mot-de-passe#jeton=([A-Za-z0-9_-]+)/.exec(text)?.[1];

describe('password reset by e-mail', () => {
  it('answers the same for an unknown address, and mails only real accounts', async () => {
    const account = await createTestAccount(t);
    const known = await ask(account.email);
    const unknown = await ask('personne.du.tout@exemple.test');
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    await sink.next(account.email);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sink.received.some((m) => m.to.includes('personne.du.tout@exemple.test'))).toBe(false);
  });

  it('sets a new password once, through a link in the fragment, and ends every session', async () => {
    const account = await createTestAccount(t);
    const session = await loginFully(t, account);
    await ask(account.email);
    const mail = await sink.next(account.email);
    const token = tokenIn(mail.text)!;
    expect(token).toHaveLength(43);
    expect(mail.text).toContain('30 minutes');

    expect((await confirm(token, 'le printemps revient toujours')).statusCode).toBe(204);
    expect((await confirm(token, 'encore un autre mot de passe long')).json().code).toBe('reset_link_invalid');
    expect((await t.app.inject({ url: '/api/me', headers: cookieHeader(session) })).statusCode).toBe(401);

    // The second factor is still asked: a reset opens no session by itself.
    const login = await loginWithPassword(t, { ...account, password: 'le printemps revient toujours' });
    expect(login.json()).toMatchObject({ stage: 'second-factor', methods: ['totp'] });
  });

  it('refuses an expired link and a weak or personal password', async () => {
    const account = await createTestAccount(t);
    await ask(account.email);
    const token = tokenIn((await sink.next(account.email)).text)!;
    expect((await confirm(token, 'motdepasse2024')).json().code).toBe('password_common');
    expect((await confirm(token, 'Alix Essai et sa tortue')).json()).toMatchObject({ code: 'password_personal', field: 'newPassword' });
    clock.advance(31 * 60_000);
    expect((await confirm(token, 'une phrase valide mais trop tard')).json().code).toBe('reset_link_invalid');
    expect((await confirm('pas-un-jeton', 'une phrase valide mais inventée')).json().code).toBe('reset_link_invalid');
  });

  it('sends at most three links per address per quarter of an hour, and still answers the same', async () => {
    const account = await createTestAccount(t);
    const before = sink.received.length;
    for (let i = 0; i < 5; i++) expect((await ask(account.email)).statusCode).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.received.slice(before).filter((m) => m.to.includes(account.email))).toHaveLength(3);
  });
});
