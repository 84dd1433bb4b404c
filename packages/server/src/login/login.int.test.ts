import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  browserOf,
  cookieOf,
  createTestAccount,
  headersOf,
  loginFully,
  loginWithPassword,
  SESSION_COOKIE,
  useManualClock,
} from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { totpCode } from './totp.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    prepare(app) {
      // Stands for any route that reads health data: it needs a full login.
      app.get('/api/test/health-data', { config: { auth: 'full' } }, async (request) => ({ actor: request.actor }));
    },
  });
  useManualClock(t.deps);
});
afterAll(() => t.close());

describe('local login: password, then a second factor before any health data', () => {
  it('opens only a second-factor session after the password', async () => {
    const account = await createTestAccount(t);
    const res = await loginWithPassword(t, account);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ stage: 'second-factor', methods: ['totp'], enrolment: false });
    const partial = browserOf(t, res);

    const me = await t.app.inject({ url: '/api/me', headers: headersOf(partial) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ stage: 'second-factor', kind: 'patient', csrfToken: partial.csrfToken, methods: ['totp'] });

    const data = await t.app.inject({ url: '/api/test/health-data', headers: headersOf(partial) });
    expect(data.statusCode).toBe(401);
    expect(data.json().code).toBe('second_factor_required');
    expect((await t.app.inject({ url: '/api/sessions', headers: headersOf(partial) })).json().code).toBe('second_factor_required');
  });

  it('gives a full session, an actor and /api/me after the authenticator code', async () => {
    const account = await createTestAccount(t);
    const full = await loginFully(t, account);
    const me = await t.app.inject({ url: '/api/me', headers: headersOf(full) });
    expect(me.json()).toMatchObject({
      stage: 'full',
      kind: 'patient',
      accountId: account.accountId,
      patientId: account.patientId,
      email: account.email,
      authMethods: ['pwd', 'otp'],
    });
    const data = await t.app.inject({ url: '/api/test/health-data', headers: headersOf(full) });
    expect(data.statusCode).toBe(200);
    expect(data.json().actor).toMatchObject({ kind: 'patient', accountId: account.accountId, patientId: account.patientId });
  });

  it('builds a professional actor with RPPS and profession, and an operator actor', async () => {
    const pro = await createTestAccount(t, { kind: 'professional' });
    const proActor = (await t.app.inject({ url: '/api/test/health-data', headers: headersOf(await loginFully(t, pro)) })).json().actor;
    expect(proActor).toMatchObject({ kind: 'professional', professionalId: pro.professionalId, professionCode: '10', specialtyCode: 'SM54' });
    expect(proActor.rpps).toMatch(/^\d{11}$/);

    const operator = await createTestAccount(t, { kind: 'operator' });
    const opActor = (await t.app.inject({ url: '/api/test/health-data', headers: headersOf(await loginFully(t, operator)) })).json().actor;
    expect(opActor).toMatchObject({ kind: 'operator', accountId: operator.accountId });
  });

  it("refuses a patient's credentials on the professional login", async () => {
    const account = await createTestAccount(t);
    const res = await loginWithPassword(t, { ...account, kind: 'professional' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_credentials');
  });

  it('answers 401 on /api/me without a session, and 400 to a malformed login', async () => {
    expect((await t.app.inject({ url: '/api/me' })).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { kind: 'admin', email: 'x@y.z', password: 'p' } });
    expect(res.statusCode).toBe(400);
  });
});

describe('no user enumeration (ASVS 5.0 6.3.8)', () => {
  it('answers an unknown address exactly as a wrong password', async () => {
    const account = await createTestAccount(t);
    const wrongPassword = await loginWithPassword(t, { ...account, password: 'not the right password at all' });
    const unknown = await loginWithPassword(t, { ...account, email: 'personne.inconnue@exemple.test' });
    expect(unknown.statusCode).toBe(wrongPassword.statusCode);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toBe(wrongPassword.body);
    expect(unknown.headers['set-cookie']).toBeUndefined();
    expect(wrongPassword.headers['set-cookie']).toBeUndefined();
  });

  it('spends the same argon2 work on an unknown address, by verifying a dummy hash', async () => {
    const verify = vi.spyOn(t.deps.passwordHasher, 'verify');
    try {
      await loginWithPassword(t, { kind: 'patient', email: 'fantome@exemple.test', password: 'un mot de passe quelconque' });
      expect(verify).toHaveBeenCalledTimes(1);
      expect(verify).toHaveBeenCalledWith(t.deps.passwordHasher.dummyHash, 'un mot de passe quelconque');
      const account = await createTestAccount(t);
      verify.mockClear();
      await loginWithPassword(t, { ...account, password: 'un mot de passe quelconque' });
      expect(verify).toHaveBeenCalledTimes(1);
      expect(verify.mock.calls[0]?.[0]).toMatch(/^\$argon2id\$/);
    } finally {
      verify.mockRestore();
    }
  });
});

describe('the session cookie (ASVS 5.0 3.3, RFC 6265bis)', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, host-only, without Secure on plain-http loopback', async () => {
    const res = await loginWithPassword(t, await createTestAccount(t));
    const cookie = (res.cookies as Record<string, unknown>[]).find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect(cookie?.domain).toBeUndefined();
    expect(cookie?.maxAge).toBeUndefined();
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is __Host-carnet_session and Secure when Carnet runs on https', async () => {
    const https = await startTestApp({ env: { CARNET_BASE_URL: 'https://carnet.test' } });
    try {
      const account = await createTestAccount(https);
      const res = await loginWithPassword(https, account);
      const cookie = (res.cookies as Record<string, unknown>[]).find((c) => c.name === '__Host-carnet_session');
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
      expect(cookie?.domain).toBeUndefined();
    } finally {
      await https.close();
    }
  });

  it('is never cached', async () => {
    const res = await loginWithPassword(t, await createTestAccount(t));
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('session fixation (ASVS 5.0 7.2.4)', () => {
  it('issues a new session id at login and again at the second factor; the old ones are dead', async () => {
    const account = await createTestAccount(t);
    const planted = await loginWithPassword(t, await createTestAccount(t));
    const plantedCookie = cookieOf(planted)!;

    const first = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: `${SESSION_COOKIE}=${plantedCookie}` },
      payload: { kind: 'patient', email: account.email, password: account.password },
    });
    const partial = browserOf(t, first);
    const partialCookie = partial.cookie;
    expect(partialCookie).not.toBe(plantedCookie);

    const second = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp',
      headers: headersOf(partial),
      payload: { code: totpCode(account.totpSecret!, t.deps.clock.now()) },
    });
    expect(second.statusCode).toBe(200);
    const fullCookie = cookieOf(second)!;
    expect(fullCookie).not.toBe(partialCookie);
    expect(second.json().csrfToken).not.toBe(partial.csrfToken);

    expect((await t.app.inject({ url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${plantedCookie}` } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${partialCookie}` } })).statusCode).toBe(401);
    const me = await t.app.inject({ url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${fullCookie}` } });
    expect(me.json()).toMatchObject({ stage: 'full', accountId: account.accountId });
  });
});

describe('logs', () => {
  it('never contain passwords, codes, cookies, CSRF tokens or the address typed', async () => {
    const account = await createTestAccount(t);
    const code = totpCode(account.totpSecret!, t.deps.clock.now());
    const full = await loginFully(t, account);
    await loginWithPassword(t, { ...account, password: 'mauvais mot de passe tapé' });
    const text = JSON.stringify(t.logs);
    for (const secret of [account.password, 'mauvais mot de passe tapé', full.cookie, full.csrfToken, code, account.totpSecret!, account.email]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('auth.login_complete');
    expect(text).toContain('auth.login_refused');
  });
});
