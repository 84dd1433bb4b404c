import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import {
  clientAssertion,
  createTestProfessional,
  createTestSoftware,
  JWT_BEARER,
  luhnNumber,
  requestToken,
  type TestSoftware,
} from './oauth.test-support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const SCOPE = 'system/Patient.rs system/DocumentReference.cruds';

async function tokenRequest(software: TestSoftware, change: Record<string, string | undefined> = {}, assertion?: string) {
  const form: Record<string, string> = {
    grant_type: 'client_credentials',
    client_assertion_type: JWT_BEARER,
    client_assertion: assertion ?? (await clientAssertion(t, software)),
    practitioner: software.professional.rpps,
    scope: SCOPE,
  };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) delete form[key];
    else form[key] = value;
  }
  return requestToken(t, form);
}

describe('token endpoint (client credentials, private_key_jwt)', () => {
  it('issues a short-lived JWT access token for the FHIR base, naming the professional and the organisation', async () => {
    const software = await createTestSoftware(t);
    const res = await tokenRequest(software);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    const body = res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', scope: SCOPE });
    expect(body.expires_in).toBeLessThanOrEqual(600);
    expect(decodeProtectedHeader(body.access_token).typ).toBe('at+jwt');
    expect(decodeJwt(body.access_token)).toMatchObject({
      iss: `${t.deps.config.baseUrl}/oauth`,
      aud: `${t.deps.config.baseUrl}/fhir/R4`,
      client_id: software.clientId,
      rpps: software.professional.rpps,
      finess: software.finess,
      scope: SCOPE,
    });
  });

  it('grants only the requested scopes the client may have', async () => {
    const software = await createTestSoftware(t, { scopes: 'system/Patient.rs system/DocumentReference.rs' });
    const res = await tokenRequest(software, { scope: 'system/Patient.r system/DocumentReference.cruds system/*.cruds' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().scope).toBe('system/Patient.r');
    const none = await tokenRequest(software, { scope: 'system/DocumentReference.c patient/Patient.rs' });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ error: 'invalid_scope' });
    expect(none.json().error_description).toContain('system/Patient.rs system/DocumentReference.rs');
  });

  it('refuses another resource than the FHIR base', async () => {
    const software = await createTestSoftware(t);
    const res = await tokenRequest(software, { resource: 'https://ailleurs.example/fhir' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_target' });
    const explicit = await tokenRequest(software, { resource: `${t.deps.config.baseUrl}/fhir/R4` });
    expect(explicit.statusCode, explicit.body).toBe(200);
  });

  describe('refuses a client that does not prove who it is', () => {
    it('an assertion signed with another key', async () => {
      const software = await createTestSoftware(t);
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const res = await tokenRequest(software, {}, await clientAssertion(t, software, { key: other }));
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'invalid_client' });
    });

    it('an expired assertion, and one that lives longer than 5 minutes', async () => {
      const software = await createTestSoftware(t);
      const expired = await tokenRequest(software, {}, await clientAssertion(t, software, { expiresInSeconds: -60 }));
      expect(expired.statusCode).toBe(401);
      expect(expired.json()).toMatchObject({ error: 'invalid_client' });
      const tooLong = await tokenRequest(software, {}, await clientAssertion(t, software, { expiresInSeconds: 3600 }));
      expect(tooLong.statusCode).toBe(401);
      expect(tooLong.json()).toMatchObject({ error: 'invalid_client' });
      // The client is told no more than invalid_client (RFC 6749 §5.2); the operator's log says why.
      const reasons = t.logs.filter((line) => line.msg === 'token request refused').map((line) => line.detail);
      expect(reasons).toContain('jwt expired');
      expect(reasons).toContain('client assertions must expire within 300 seconds');
    });

    it('an assertion used a second time (same jti), even by two requests at once', async () => {
      const software = await createTestSoftware(t);
      const assertion = await clientAssertion(t, software);
      expect((await tokenRequest(software, {}, assertion)).statusCode).toBe(200);
      const replay = await tokenRequest(software, {}, assertion);
      expect(replay.statusCode).toBe(401);
      expect(replay.json()).toMatchObject({ error: 'invalid_client' });

      const twin = await clientAssertion(t, software, { jti: randomUUID() });
      const statuses = (await Promise.all([tokenRequest(software, {}, twin), tokenRequest(software, {}, twin)])).map((r) => r.statusCode);
      expect(statuses.sort()).toEqual([200, 401]);
    });

    it('an assertion for another audience, or whose subject is not the client', async () => {
      const software = await createTestSoftware(t);
      const audience = await tokenRequest(software, {}, await clientAssertion(t, software, { audience: 'https://ailleurs.example/token' }));
      expect(audience.statusCode).toBe(401);
      const subject = await tokenRequest(software, {}, await clientAssertion(t, software, { subject: 'quelqu-un-d-autre' }));
      expect(subject.statusCode).toBe(401);
    });

    it('an unknown client, and a revoked one', async () => {
      const software = await createTestSoftware(t);
      const unknown = await tokenRequest(software, {}, await clientAssertion(t, { ...software, clientId: 'inconnu' }));
      expect(unknown.statusCode).toBe(401);
      expect(unknown.json()).toMatchObject({ error: 'invalid_client' });
      await t.deps.db.updateTable('software_client').set({ revoked_at: new Date() }).where('client_id', '=', software.clientId).execute();
      const revoked = await tokenRequest(software);
      expect(revoked.statusCode).toBe(401);
      expect(revoked.json()).toMatchObject({ error: 'invalid_client' });
    });

    it('a client secret instead of a signed assertion', async () => {
      const software = await createTestSoftware(t);
      const res = await requestToken(t, { grant_type: 'client_credentials', client_id: software.clientId, client_secret: 'secret', scope: SCOPE });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'invalid_client' });
    });
  });

  describe('names the acting professional', () => {
    it('refuses a professional of another organisation', async () => {
      const software = await createTestSoftware(t);
      const elsewhere = await createTestSoftware(t);
      const res = await tokenRequest(software, { practitioner: elsewhere.professional.rpps });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_request' });
      expect(res.json().error_description).toContain(`does not belong to this software's organisation (FINESS ${software.finess})`);
    });

    it('refuses an RPPS number unknown to the directory, a malformed one, and none', async () => {
      const software = await createTestSoftware(t);
      const unknown = await tokenRequest(software, { practitioner: luhnNumber(11) });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error_description).toContain("is not in Carnet's directory");
      const malformed = await tokenRequest(software, { practitioner: '10001234560' });
      expect(malformed.json()).toMatchObject({ error: 'invalid_request' });
      expect(malformed.json().error_description).toContain('valid check digit');
      const missing = await tokenRequest(software, { practitioner: undefined });
      expect(missing.json()).toMatchObject({ error: 'invalid_request' });
      expect(missing.json().error_description).toContain('practitioner is required');
    });

    it("acts for the owner of a professional's own software, who may go unnamed, and for no one else", async () => {
      const software = await createTestSoftware(t, { personal: true });
      const unnamed = await tokenRequest(software, { practitioner: undefined });
      expect(unnamed.statusCode, unnamed.body).toBe(200);
      const claims = decodeJwt(unnamed.json().access_token);
      expect(claims.rpps).toBe(software.professional.rpps);
      expect(claims.finess).toBeUndefined();
      const colleague = await createTestProfessional(t, null);
      const other = await tokenRequest(software, { practitioner: colleague.rpps });
      expect(other.statusCode).toBe(400);
      expect(other.json()).toMatchObject({ error: 'invalid_request' });
    });
  });
});

describe('discovery', () => {
  it('publishes the issuer, the token endpoint, private_key_jwt only and the public keys', async () => {
    const res = await t.app.inject({ url: '/oauth/.well-known/openid-configuration' });
    expect(res.statusCode).toBe(200);
    const discovery = res.json();
    const base = t.deps.config.baseUrl;
    expect(discovery).toMatchObject({
      issuer: `${base}/oauth`,
      token_endpoint: `${base}/oauth/token`,
      jwks_uri: `${base}/oauth/jwks`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery.grant_types_supported).toContain('client_credentials');
    expect(discovery.token_endpoint_auth_signing_alg_values_supported).not.toContain('HS256');

    const jwks = (await t.app.inject({ url: '/oauth/jwks' })).json();
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(member);
  });
});
