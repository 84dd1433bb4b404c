import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browserish,
  browserOf,
  cookieHeader,
  createTestAccount,
  headersOf,
  loginFully,
  loginWithPassword,
  type ManualClock,
  PASSWORD,
  SESSION_COOKIE,
  useManualClock,
} from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { totpCode } from '../login/totp.ts';

const MINUTE = 60_000;
let t: TestApp;
let clock: ManualClock;
beforeAll(async () => {
  t = await startTestApp({ env: { CARNET_SESSION_IDLE_MINUTES: '15', CARNET_SESSION_ABSOLUTE_HOURS: '12' } });
  clock = useManualClock(t.deps);
});
afterAll(() => t.close());

const me = (b: Browserish) => t.app.inject({ url: '/api/me', headers: headersOf(b) });

describe('timeouts (ASVS 5.0 7.3.1, 7.3.2)', () => {
  it('ends a session left idle for the idle timeout, and keeps one in use', async () => {
    const full = await loginFully(t, await createTestAccount(t));
    clock.advance(14 * MINUTE);
    expect((await me(full)).statusCode).toBe(200);
    clock.advance(14 * MINUTE);
    expect((await me(full)).statusCode).toBe(200);
    clock.advance(15 * MINUTE + 1000);
    const res = await me(full);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('not_authenticated');
    // The browser is told to forget the dead cookie.
    expect(String(res.headers['set-cookie'])).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
  });

  it('ends a session at the absolute timeout however active it is', async () => {
    const full = await loginFully(t, await createTestAccount(t));
    for (let elapsed = 0; elapsed < 12 * 60; elapsed += 10) {
      clock.advance(10 * MINUTE);
      if (elapsed + 10 < 12 * 60) expect((await me(full)).statusCode, `after ${elapsed + 10} minutes`).toBe(200);
    }
    expect((await me(full)).statusCode).toBe(401);
  });

  it('gives a password-only login ten minutes to confirm its second factor', async () => {
    const res = await loginWithPassword(t, await createTestAccount(t));
    const partial = browserOf(t, res);
    clock.advance(9 * MINUTE);
    expect((await me(partial)).statusCode).toBe(200);
    clock.advance(1 * MINUTE);
    expect((await me(partial)).statusCode).toBe(401);
  });
});

describe('the sessions list (ASVS 5.0 7.5.2)', () => {
  it('lists the account’s sessions with device, creation and last use, and ends another one', async () => {
    const account = await createTestAccount(t);
    const laptop = await loginFully(t, account);
    clock.advance(30_000); // the next authenticator code
    const phoneLogin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)' },
      payload: { kind: 'patient', email: account.email, password: account.password },
    });
    expect(phoneLogin.statusCode).toBe(200);
    const phoneFull = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp',
      headers: { ...headersOf(browserOf(t, phoneLogin)), 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)' },
      payload: { code: totpCode(account.totpSecret!, clock.now()) },
    });
    const phone = browserOf(t, phoneFull);

    const list = await t.app.inject({ url: '/api/sessions', headers: headersOf(laptop) });
    expect(list.statusCode).toBe(200);
    const sessions = list.json().sessions as { id: string; current: boolean; userAgent: string | null; createdAt: string; lastSeenAt: string }[];
    expect(sessions).toHaveLength(2);
    const current = sessions.find((s) => s.current)!;
    const other = sessions.find((s) => !s.current)!;
    expect(other.userAgent).toContain('iPhone');
    expect(Date.parse(current.createdAt)).toBeLessThan(Date.parse(other.createdAt));
    expect(other.lastSeenAt).toBe(clock.now().toISOString());

    const end = await t.app.inject({ method: 'DELETE', url: `/api/sessions/${other.id}`, headers: headersOf(laptop) });
    expect(end.statusCode).toBe(204);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await me(laptop)).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/sessions', headers: headersOf(laptop) })).json().sessions).toHaveLength(1);
  });

  it("answers 404 for a session that is not one of the account's own", async () => {
    const mine = await loginFully(t, await createTestAccount(t));
    const theirs = await loginFully(t, await createTestAccount(t));
    const theirId = (await me(theirs)).json().sessionId;
    const res = await t.app.inject({ method: 'DELETE', url: `/api/sessions/${theirId}`, headers: headersOf(mine) });
    expect(res.statusCode).toBe(404);
    expect((await me(theirs)).statusCode).toBe(200);
    const unknown = await t.app.inject({ method: 'DELETE', url: `/api/sessions/${randomUUID()}`, headers: headersOf(mine) });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('logout (ASVS 5.0 7.4.1)', () => {
  it('ends the session on the server: the old cookie is refused afterwards', async () => {
    const full = await loginFully(t, await createTestAccount(t));
    const res = await t.app.inject({ method: 'POST', url: '/api/logout', headers: headersOf(full) });
    expect(res.statusCode).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    expect((await me(full)).statusCode).toBe(401);
  });
});

describe('CSRF on state-changing cookie-authenticated routes', () => {
  it('refuses a request without the x-csrf-token header (403)', async () => {
    const full = await loginFully(t, await createTestAccount(t));
    const res = await t.app.inject({ method: 'POST', url: '/api/logout', headers: cookieHeader(full) });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_token_invalid');
    const other = (await me(full)).json().sessionId;
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/sessions/${other}`,
      headers: { ...cookieHeader(full), 'x-csrf-token': 'guessed' },
    });
    expect(del.statusCode).toBe(403);
    expect((await me(full)).statusCode).toBe(200);
  });

  it('refuses a request from a foreign Origin or a cross-site fetch, even with the token (403)', async () => {
    const full = await loginFully(t, await createTestAccount(t));
    const evil = await t.app.inject({
      method: 'POST',
      url: '/api/logout',
      headers: { ...headersOf(full), origin: 'https://evil.example' },
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().code).toBe('cross_origin_refused');
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/logout',
      headers: { ...headersOf(full), 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    const sameOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/logout',
      headers: { ...headersOf(full), origin: new URL(t.deps.config.baseUrl).origin, 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.statusCode).toBe(204);
  });

  it('refuses a login posted from another site (login CSRF)', async () => {
    const account = await createTestAccount(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'https://evil.example' },
      payload: { kind: 'patient', email: account.email, password: account.password },
    });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a login sent as a cross-site form could send it', async () => {
    const account = await createTestAccount(t);
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `kind=patient&email=${encodeURIComponent(account.email)}&password=${encodeURIComponent(account.password)}`,
    });
    expect(form.statusCode).toBe(415);
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ kind: 'patient', email: account.email, password: account.password }),
    });
    expect(text.statusCode).toBe(400);
  });
});

describe('changing the password', () => {
  it('needs the current password and the policy, then ends the other sessions', async () => {
    const account = await createTestAccount(t);
    const here = await loginFully(t, account);
    clock.advance(30_000);
    const there = await loginFully(t, account);
    const change = (currentPassword: string, newPassword: string) =>
      t.app.inject({ method: 'POST', url: '/api/account/password', headers: headersOf(here), payload: { currentPassword, newPassword } });

    expect((await change('pas le bon mot de passe', 'un tout nouveau secret bien long')).json().code).toBe('invalid_credentials');
    expect((await change(PASSWORD, 'azertyuiop123')).json().code).toBe('password_common');
    expect((await change(PASSWORD, 'court')).json().code).toBe('password_too_short');
    expect((await change(PASSWORD, `${account.email.split('@')[0]} et mon chat`)).json().code).toBe('password_personal');
    expect((await change(PASSWORD, 'un tout nouveau secret bien long')).statusCode).toBe(204);

    expect((await me(here)).statusCode).toBe(200);
    expect((await me(there)).statusCode).toBe(401);
    expect((await loginWithPassword(t, account)).statusCode).toBe(401);
    expect((await loginWithPassword(t, { ...account, password: 'un tout nouveau secret bien long' })).statusCode).toBe(200);
  });
});
