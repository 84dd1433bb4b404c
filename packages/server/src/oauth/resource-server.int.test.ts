import { createPublicKey, createSecretKey } from 'node:crypto';
import { importJWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAccount, loginFully, headersOf, useManualClock } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { accessTokenFor, createTestSoftware, type TestSoftware } from './oauth.test-support.ts';

let t: TestApp;
let patient: { patientId: string; ins: string };
beforeAll(async () => {
  t = await startTestApp();
  const account = await createTestAccount(t, { kind: 'patient' });
  const row = await t.deps.db.selectFrom('patient').select('ins_matricule').where('patient_id', '=', account.patientId!).executeTakeFirstOrThrow();
  patient = { patientId: account.patientId!, ins: row.ins_matricule };
  // How software finds the space: by INS (createTestAccount leaves the look-up table alone).
  await t.deps.db.insertInto('patient_ins').values({ ins_matricule: patient.ins, patient_id: patient.patientId }).execute();
});
afterAll(() => t.close());

const searchUrl = () => `/fhir/R4/Patient?identifier=${encodeURIComponent(`urn:oid:1.2.250.1.213.1.4.10|${patient.ins}`)}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A token signed with the OAuth server's own key, claims and header as given: what a forger would need. */
async function serverSigned(software: TestSoftware, claims: JWTPayload, header: Record<string, unknown> = {}) {
  const jwk = t.deps.oauth.keys.privateJwks.keys[0]!;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: t.deps.oauth.issuer,
    aud: t.deps.oauth.fhirBase,
    iat: now,
    exp: now + 300,
    client_id: software.clientId,
    rpps: software.professional.rpps,
    scope: 'system/Patient.rs',
    ...claims,
  })
    .setProtectedHeader({ alg: jwk.alg!, kid: jwk.kid, typ: 'at+jwt', ...header })
    .sign(await importJWK(jwk, jwk.alg));
}

async function expectInvalidToken(token: string, reason: RegExp) {
  const res = await t.app.inject({ url: searchUrl(), headers: bearer(token) });
  expect(res.statusCode).toBe(401);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
  expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login', details: { text: 'invalid_token' } }] });
  expect(res.json().issue[0].diagnostics).toMatch(reason);
}

describe('a software access token on the FHIR API', () => {
  it('reads as the professional it names, and the audit names them by RPPS', async () => {
    const software = await createTestSoftware(t);
    const res = await t.app.inject({ url: searchUrl(), headers: bearer(await accessTokenFor(t, software)) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(res.json().entry[0].resource.id).toBe(patient.patientId);
    const audit = await t.deps.db
      .selectFrom('audit_entry')
      .select(['actor_type', 'actor_id', 'action', 'outcome'])
      .where('patient_id', '=', patient.patientId)
      .where('actor_id', '=', `rpps:${software.professional.rpps}`)
      .execute();
    expect(audit).toEqual([{ actor_type: 'professional', actor_id: `rpps:${software.professional.rpps}`, action: 'patient.read', outcome: 'permit' }]);
  });

  it('answers 401 with a Bearer challenge when there is no credential at all', async () => {
    const res = await t.app.inject({ url: searchUrl() });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="Carnet"');
    expect(res.json().resourceType).toBe('OperationOutcome');
  });

  it('refuses a token with alg "none"', async () => {
    const software = await createTestSoftware(t);
    const now = Math.floor(Date.now() / 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${part({ alg: 'none', typ: 'at+jwt' })}.${part({
      iss: t.deps.oauth.issuer,
      aud: t.deps.oauth.fhirBase,
      client_id: software.clientId,
      rpps: software.professional.rpps,
      iat: now,
      exp: now + 300,
    })}.`;
    await expectInvalidToken(unsigned, /not a well-formed signed JWT|algorithm/);
  });

  it('refuses a token signed with HS256 using the public key as the secret (algorithm confusion)', async () => {
    const software = await createTestSoftware(t);
    const publicJwk = t.deps.oauth.keys.publicJwks.keys[0]!;
    const pem = createPublicKey({ key: publicJwk as never, format: 'jwk' }).export({ format: 'pem', type: 'spki' });
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ client_id: software.clientId, rpps: software.professional.rpps })
      .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid, typ: 'at+jwt' })
      .setIssuer(t.deps.oauth.issuer)
      .setAudience(t.deps.oauth.fhirBase)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(createSecretKey(Buffer.from(pem)));
    await expectInvalidToken(forged, /algorithm is not accepted/);
  });

  it('refuses a token for another audience, from another issuer, expired, or an ID token', async () => {
    const software = await createTestSoftware(t);
    await expectInvalidToken(await serverSigned(software, { aud: 'https://ailleurs.example/fhir' }), /another audience/);
    await expectInvalidToken(await serverSigned(software, { iss: 'https://ailleurs.example/oauth' }), /another authorization server/);
    const past = Math.floor(Date.now() / 1000) - 3600;
    await expectInvalidToken(await serverSigned(software, { iat: past, exp: past + 600 }), /expired/);
    // An ID token: typ JWT, for the client as audience.
    await expectInvalidToken(await serverSigned(software, { aud: software.clientId }, { typ: 'JWT' }), /another audience|not an access token/);
    await expectInvalidToken(await serverSigned(software, {}, { typ: 'JWT' }), /not an access token/);
  });

  it('a correctly signed token is accepted (the forgeries above fail for their fault only)', async () => {
    const software = await createTestSoftware(t);
    const res = await t.app.inject({ url: searchUrl(), headers: bearer(await serverSigned(software, {})) });
    expect(res.statusCode, res.body).toBe(200);
  });

  it("refuses a token with a cookie session beside it: the token alone decides", async () => {
    const pro = await createTestAccount(t, { kind: 'professional' });
    const browser = await loginFully(t, pro);
    const res = await t.app.inject({ url: searchUrl(), headers: { ...headersOf(browser), authorization: 'Bearer pas-un-jeton' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().issue[0].details.text).toBe('invalid_token');
    const withCookie = await t.app.inject({ url: searchUrl(), headers: headersOf(browser) });
    expect(withCookie.statusCode).toBe(200);
  });
});

describe('revocation reaches live tokens (checklist C5)', () => {
  it('refuses the tokens of a client revoked on another node once the cache bound has passed', async () => {
    const clock = useManualClock(t.deps, new Date());
    try {
      const software = await createTestSoftware(t);
      const token = await accessTokenFor(t, software);
      expect((await t.app.inject({ url: searchUrl(), headers: bearer(token) })).statusCode).toBe(200);
      // Another node revokes: this node learns it within CARNET_OAUTH_CLIENT_CACHE_SECONDS.
      await t.deps.db.updateTable('software_client').set({ revoked_at: new Date() }).where('client_id', '=', software.clientId).execute();
      clock.advance((t.deps.config.oauthClientCacheSeconds + 1) * 1000);
      await expectInvalidToken(token, /software client has been revoked/);
    } finally {
      t.deps.clock.now = () => new Date();
    }
  });

  it('refuses the tokens of a professional who left the organisation', async () => {
    const clock = useManualClock(t.deps, new Date());
    try {
      const software = await createTestSoftware(t);
      const token = await accessTokenFor(t, software);
      expect((await t.app.inject({ url: searchUrl(), headers: bearer(token) })).statusCode).toBe(200);
      await t.deps.db.updateTable('professional').set({ organization_id: null }).where('rpps', '=', software.professional.rpps).execute();
      clock.advance((t.deps.config.oauthClientCacheSeconds + 1) * 1000);
      await expectInvalidToken(token, /no longer belongs/);
    } finally {
      t.deps.clock.now = () => new Date();
    }
  });
});
