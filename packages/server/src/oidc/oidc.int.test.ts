import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browserish, cookieOf, createTestAccount, headersOf, loginFully, useManualClock } from '../../test/identity.ts';
import { type OidcTestProvider, startOidcTestProvider } from '../../test/oidc-test-provider.ts';
import { freePort } from '../../test/carnet-process.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { linkIdentity } from '../accounts/account.repository.ts';

const BASE = 'http://localhost:8080';
let t: TestApp;
let patientIdp: OidcTestProvider;
let proIdp: OidcTestProvider;

beforeAll(async () => {
  patientIdp = await startOidcTestProvider({ redirectUris: [`${BASE}/api/auth/oidc/patient/callback`] });
  proIdp = await startOidcTestProvider({ redirectUris: [`${BASE}/api/auth/oidc/pro/callback`] });
  t = await startTestApp({
    env: {
      CARNET_BASE_URL: BASE,
      CARNET_OIDC_PATIENT_ISSUER: patientIdp.issuer,
      CARNET_OIDC_PATIENT_CLIENT_ID: patientIdp.clientId,
      CARNET_OIDC_PATIENT_CLIENT_SECRET: patientIdp.clientSecret,
      CARNET_OIDC_PATIENT_ACR: 'eidas2',
      CARNET_OIDC_PRO_ISSUER: proIdp.issuer,
      CARNET_OIDC_PRO_CLIENT_ID: proIdp.clientId,
      CARNET_OIDC_PRO_CLIENT_SECRET: proIdp.clientSecret,
      CARNET_OIDC_PRO_ACR: 'eidas1',
    },
  });
  useManualClock(t.deps, new Date());
});
afterAll(async () => {
  await t.close();
  await patientIdp.close();
  await proIdp.close();
});

const FLOW_COOKIE = 'carnet_oidc';
const flowCookieOf = (res: LightMyRequestResponse) =>
  (res.cookies as { name: string; value: string }[]).find((c) => c.name === FLOW_COOKIE)?.value;

/** The browser's trip: Carnet → provider (login) → Carnet's callback. */
async function externalLogin(provider: 'patient' | 'pro', idp: OidcTestProvider, session?: Browserish) {
  const start = await t.app.inject({ url: `/api/auth/oidc/${provider}/start` });
  expect(start.statusCode).toBe(303);
  const callback = await idp.authorize(String(start.headers.location));
  const cookies = [`${FLOW_COOKIE}=${flowCookieOf(start)}`, ...(session ? [`${session.cookieName}=${session.cookie}`] : [])];
  const res = await t.app.inject({ url: callback.pathname + callback.search, headers: { cookie: cookies.join('; ') } });
  return { start, callback, res };
}

describe('external login through OpenID Connect (authorization code + PKCE + state + nonce)', () => {
  it('lists the configured providers for the login pages', async () => {
    const res = await t.app.inject({ url: '/api/auth/providers' });
    expect(res.json().providers).toEqual([
      { id: 'patient', accountKind: 'patient' },
      { id: 'pro', accountKind: 'professional' },
    ]);
    expect((await t.app.inject({ url: '/api/auth/oidc/autre/start' })).statusCode).toBe(404);
  });

  it('logs a linked patient in: a full Carnet session from (issuer, subject)', async () => {
    const account = await createTestAccount(t);
    await linkIdentity(t.deps.db, { issuer: patientIdp.issuer, subject: 'fc-camille', accountId: account.accountId, provider: 'patient', now: new Date() });
    patientIdp.next = { subject: 'fc-camille', acr: 'eidas2' };

    const { start, callback, res } = await externalLogin('patient', patientIdp);
    const asked = patientIdp.authorizationRequests.at(-1)!;
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.get('state')).toBeTruthy();
    expect(asked.get('nonce')).toBeTruthy();
    expect(asked.get('acr_values')).toBe('eidas2');
    expect(asked.get('redirect_uri')).toBe(`${BASE}/api/auth/oidc/patient/callback`);
    const flow = (start.cookies as Record<string, unknown>[]).find((c) => c.name === FLOW_COOKIE);
    expect(flow).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 600 });
    expect(callback.searchParams.get('code')).toBeTruthy();

    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const me = await t.app.inject({ url: '/api/me', headers: { cookie: `carnet_session=${cookieOf(res)}` } });
    expect(me.json()).toMatchObject({ stage: 'full', kind: 'patient', accountId: account.accountId, authMethods: ['ext'] });
  });

  it('logs a professional in when the provider asserts the required acr', async () => {
    const account = await createTestAccount(t, { kind: 'professional' });
    await linkIdentity(t.deps.db, { issuer: proIdp.issuer, subject: 'psc-899700123456', accountId: account.accountId, provider: 'pro', now: new Date() });
    proIdp.next = { subject: 'psc-899700123456', acr: 'eidas1' };
    const { res } = await externalLogin('pro', proIdp);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/compte');
    const me = await t.app.inject({ url: '/api/me', headers: { cookie: `carnet_session=${cookieOf(res)}` } });
    expect(me.json()).toMatchObject({ stage: 'full', kind: 'professional', professional: { professionCode: '10' } });
  });

  it('refuses a login at another acr than the one configured', async () => {
    const account = await createTestAccount(t);
    await linkIdentity(t.deps.db, { issuer: patientIdp.issuer, subject: 'fc-weak', accountId: account.accountId, provider: 'patient', now: new Date() });
    patientIdp.next = { subject: 'fc-weak', acr: 'eidas1' };
    const { res } = await externalLogin('patient', patientIdp);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/connexion?erreur=oidc_acr_refused');
    expect((res.cookies as { name: string }[]).some((c) => c.name === 'carnet_session')).toBe(false);
  });

  it('refuses an identity linked to no account, even if its e-mail is an account’s (never linked by e-mail)', async () => {
    const account = await createTestAccount(t);
    patientIdp.next = { subject: 'fc-stranger', acr: 'eidas2', email: account.email };
    const { res } = await externalLogin('patient', patientIdp);
    expect(res.headers.location).toBe('/connexion?erreur=oidc_unlinked');
    const links = await t.deps.db.selectFrom('account_identity').selectAll().where('subject', '=', 'fc-stranger').execute();
    expect(links).toEqual([]);
  });

  it('refuses a callback replayed, or arriving in a browser that did not start the flow', async () => {
    const account = await createTestAccount(t);
    await linkIdentity(t.deps.db, { issuer: patientIdp.issuer, subject: 'fc-replay', accountId: account.accountId, provider: 'patient', now: new Date() });
    patientIdp.next = { subject: 'fc-replay', acr: 'eidas2' };
    const { start, callback, res } = await externalLogin('patient', patientIdp);
    expect(res.headers.location).toBe('/');
    const replay = await t.app.inject({
      url: callback.pathname + callback.search,
      headers: { cookie: `${FLOW_COOKIE}=${flowCookieOf(start)}` },
    });
    expect(replay.headers.location).toBe('/connexion?erreur=oidc_flow_invalid');

    // An attacker's own code and state, sent to a victim's browser, has no flow to match.
    const second = await t.app.inject({ url: '/api/auth/oidc/patient/start' });
    const stolen = await patientIdp.authorize(String(second.headers.location));
    const victim = await t.app.inject({ url: stolen.pathname + stolen.search });
    expect(victim.headers.location).toBe('/connexion?erreur=oidc_flow_invalid');
  });
});

describe('linking an external identity after a local login', () => {
  async function link(provider: 'patient' | 'pro', idp: OidcTestProvider, session: Browserish) {
    const start = await t.app.inject({ method: 'POST', url: `/api/auth/oidc/${provider}/link`, headers: headersOf(session) });
    expect(start.statusCode).toBe(200);
    const callback = await idp.authorize(start.json().authorizationUrl);
    return t.app.inject({
      url: callback.pathname + callback.search,
      headers: { cookie: `${FLOW_COOKIE}=${flowCookieOf(start)}; ${session.cookieName}=${session.cookie}` },
    });
  }

  it('links the identity to the logged-in account, which can then log in with it', async () => {
    const account = await createTestAccount(t);
    const session = await loginFully(t, account);
    patientIdp.next = { subject: 'fc-to-link', acr: 'eidas2' };
    const linked = await link('patient', patientIdp, session);
    expect(linked.statusCode).toBe(303);
    expect(linked.headers.location).toBe('/compte?identite=reliee');

    const { res } = await externalLogin('patient', patientIdp);
    expect(res.headers.location).toBe('/');
  });

  it('needs a full session and its CSRF token to start', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/oidc/patient/link' });
    expect(res.statusCode).toBe(401);
    const session = await loginFully(t, await createTestAccount(t));
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/auth/oidc/patient/link',
      headers: { cookie: `${session.cookieName}=${session.cookie}` },
    });
    expect(noToken.statusCode).toBe(403);
  });

  it('refuses an identity already linked to another account, and a provider for another kind of account', async () => {
    const first = await createTestAccount(t);
    await linkIdentity(t.deps.db, { issuer: patientIdp.issuer, subject: 'fc-taken', accountId: first.accountId, provider: 'patient', now: new Date() });
    const other = await loginFully(t, await createTestAccount(t));
    patientIdp.next = { subject: 'fc-taken', acr: 'eidas2' };
    expect((await link('patient', patientIdp, other)).headers.location).toBe('/compte?erreur=oidc_already_linked');

    proIdp.next = { subject: 'psc-for-a-patient', acr: 'eidas1' };
    expect((await link('pro', proIdp, other)).headers.location).toBe('/compte?erreur=oidc_wrong_account_kind');
  });
});

describe('an identity provider that does not answer', () => {
  it('sends the browser back to the login page with a message, not an error page', async () => {
    const down = await startTestApp({
      env: {
        CARNET_OIDC_PRO_ISSUER: `http://127.0.0.1:${await freePort()}`,
        CARNET_OIDC_PRO_CLIENT_ID: 'carnet',
        CARNET_OIDC_PRO_CLIENT_SECRET: 'secret',
      },
    });
    try {
      const res = await down.app.inject({ url: '/api/auth/oidc/pro/start' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/pro/connexion?erreur=oidc_failed');
    } finally {
      await down.close();
    }
  });
});
