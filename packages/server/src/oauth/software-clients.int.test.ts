import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAccount, headersOf, loginFully, type Browserish } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { accessTokenFor, clientAssertion, createTestSoftware, JWT_BEARER, requestToken } from './oauth.test-support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const URL_ = '/api/professional/software-clients';

function newKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = 'cabinet-1';
  return { privateKey, kid, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' } };
}

async function professionalSession(): Promise<{ browser: Browserish; rpps: string; professionalId: string }> {
  const account = await createTestAccount(t, { kind: 'professional' });
  const row = await t.deps.db.selectFrom('professional').select('rpps').where('professional_id', '=', account.professionalId!).executeTakeFirstOrThrow();
  return { browser: await loginFully(t, account), rpps: row.rpps, professionalId: account.professionalId! };
}

const register = (browser: Browserish, payload: unknown) =>
  t.app.inject({ method: 'POST', url: URL_, headers: headersOf(browser), payload: payload as Record<string, unknown> });

const countClients = async () =>
  Number((await t.deps.db.selectFrom('software_client').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe("a professional's own software", () => {
  it('is registered with its public keys, gets tokens acting for its owner, and is revoked at once', async () => {
    const { browser, rpps } = await professionalSession();
    const keys = newKeyPair();
    const created = await register(browser, { name: 'Mon logiciel de cabinet', jwks: { keys: [keys.publicJwk] } });
    expect(created.statusCode, created.body).toBe(201);
    const { clientId } = created.json();
    expect(created.json()).toMatchObject({ name: 'Mon logiciel de cabinet', keys: ['cabinet-1'], revokedAt: null });

    const software = { clientId, privateKey: keys.privateKey, kid: keys.kid };
    const token = await requestToken(t, {
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER,
      client_assertion: await clientAssertion(t, software),
      scope: 'system/Patient.rs',
    });
    expect(token.statusCode, token.body).toBe(200);
    const accessToken = token.json().access_token as string;
    const me = await t.app.inject({ url: '/fhir/R4/Patient?identifier=284037511201238', headers: { authorization: `Bearer ${accessToken}` } });
    expect(me.statusCode, me.body).toBe(200);

    const listed = await t.app.inject({ url: URL_, headers: headersOf(browser) });
    expect(listed.json().items.map((c: { clientId: string }) => c.clientId)).toEqual([clientId]);

    const revoked = await t.app.inject({ method: 'DELETE', url: `${URL_}/${clientId}`, headers: headersOf(browser) });
    expect(revoked.statusCode).toBe(204);
    const after = await t.app.inject({ url: '/fhir/R4/Patient?identifier=284037511201238', headers: { authorization: `Bearer ${accessToken}` } });
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toContain('invalid_token');
    const noMore = await requestToken(t, {
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER,
      client_assertion: await clientAssertion(t, software),
      scope: 'system/Patient.rs',
    });
    expect(noMore.json()).toMatchObject({ error: 'invalid_client' });
    expect((await t.app.inject({ url: URL_, headers: headersOf(browser) })).json().items[0].revokedAt).not.toBeNull();

    const audit = await t.deps.db.selectFrom('audit_entry').select('action').where('actor_id', '=', `rpps:${rpps}`).where('resource_id', '=', clientId).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['software-client.register', 'software-client.revoke']);
  });

  it('refuses a key set holding a private key, and stores nothing', async () => {
    const { browser } = await professionalSession();
    const before = await countClients();
    const privateJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const res = await register(browser, { name: 'Fuite', jwks: { keys: [privateJwk] } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid_jwks', field: 'jwks' });
    expect(res.json().detail).toContain('private key material');
    const secret = await register(browser, { name: 'Secret', jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } });
    expect(secret.statusCode).toBe(400);
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    expect((await register(browser, { name: 'Faible', jwks: { keys: [weak] } })).json().detail).toContain('2048 bits');
    expect((await register(browser, { name: 'Portée', jwks: { keys: [newKeyPair().publicJwk] }, scopes: 'system/*.cruds' })).statusCode).toBe(400);
    expect(await countClients()).toBe(before);
  });

  it("cannot revoke another professional's software", async () => {
    const owner = await professionalSession();
    const other = await professionalSession();
    const { clientId } = (await register(owner.browser, { name: 'À moi', jwks: { keys: [newKeyPair().publicJwk] } })).json();
    const res = await t.app.inject({ method: 'DELETE', url: `${URL_}/${clientId}`, headers: headersOf(other.browser) });
    expect(res.statusCode).toBe(404);
    expect((await t.app.inject({ url: URL_, headers: headersOf(owner.browser) })).json().items[0].revokedAt).toBeNull();
  });

  it('is managed by professionals only, from a web session only, with the CSRF token', async () => {
    const patient = await loginFully(t, await createTestAccount(t, { kind: 'patient' }));
    expect((await t.app.inject({ url: URL_, headers: headersOf(patient) })).statusCode).toBe(403);

    const software = await createTestSoftware(t);
    const token = await accessTokenFor(t, software);
    const withToken = await t.app.inject({ url: URL_, headers: { authorization: `Bearer ${token}` } });
    expect(withToken.statusCode).toBe(403);
    expect(withToken.json().code).toBe('web_session_required');

    const { browser } = await professionalSession();
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: URL_,
      headers: { cookie: headersOf(browser).cookie },
      payload: { name: 'Sans jeton', jwks: { keys: [newKeyPair().publicJwk] } },
    });
    expect(noCsrf.statusCode).toBe(403);
  });
});
