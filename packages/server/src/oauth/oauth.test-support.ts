import { generateKeyPairSync, type KeyObject, randomInt, randomUUID } from 'node:crypto';
import { luhnCheckDigit } from '@carnet/shared';
import { SignJWT } from 'jose';
import type { TestApp } from '../../test/test-app.ts';

/** A fresh identifier of `length` digits whose last is a valid Luhn key (RPPS 11, FINESS 9). */
export function luhnNumber(length: number): string {
  const base = `1${String(randomInt(0, 10 ** (length - 2))).padStart(length - 2, '0')}`;
  return `${base}${luhnCheckDigit(base)}`;
}

export interface TestProfessional {
  professionalId: string;
  rpps: string;
}

export interface TestSoftware {
  clientId: string;
  /** The key the software signs its assertions with. */
  privateKey: KeyObject;
  kid: string;
  organizationId: string | null;
  finess: string | null;
  /** A professional of the organisation, or the owner of a personal client. */
  professional: TestProfessional;
}

export async function createTestProfessional(t: TestApp, organizationId: string | null): Promise<TestProfessional> {
  const professional = { professionalId: randomUUID(), rpps: luhnNumber(11) };
  await t.deps.db
    .insertInto('professional')
    .values({
      professional_id: professional.professionalId,
      rpps: professional.rpps,
      family_name: 'ESSAI',
      given_name: 'Dominique',
      profession_code: '10',
      specialty_code: 'SM54',
      organization_id: organizationId,
    })
    .execute();
  return professional;
}

/**
 * A registered software client with a fresh ES256 key pair: an organisation's (with one of its
 * professionals), or with `personal`, a professional's own.
 */
export async function createTestSoftware(
  t: TestApp,
  options: { personal?: boolean; scopes?: string } = {},
): Promise<TestSoftware> {
  let organizationId: string | null = null;
  let finess: string | null = null;
  if (options.personal !== true) {
    organizationId = randomUUID();
    finess = luhnNumber(9);
    await t.deps.db.insertInto('organization').values({ organization_id: organizationId, finess, name: 'Clinique d’essai' }).execute();
  }
  const professional = await createTestProfessional(t, organizationId);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `k-${randomUUID().slice(0, 8)}`;
  const clientId = `test-${randomUUID()}`;
  await t.deps.db
    .insertInto('software_client')
    .values({
      client_id: clientId,
      name: 'Logiciel d’essai',
      organization_id: organizationId,
      professional_id: options.personal === true ? professional.professionalId : null,
      jwks: JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }] }),
      allowed_scopes: options.scopes ?? 'system/DocumentReference.cruds system/Binary.cr system/List.crs system/Patient.rs',
    })
    .execute();
  return { clientId, privateKey, kid, organizationId, finess, professional };
}

/** A client assertion (RFC 7523 §2.2) for the token endpoint; `change` edits it to break a rule. */
export async function clientAssertion(
  t: TestApp,
  software: Pick<TestSoftware, 'clientId' | 'privateKey' | 'kid'>,
  change: { expiresInSeconds?: number; jti?: string; audience?: string; key?: KeyObject; subject?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: software.kid })
    .setIssuer(software.clientId)
    .setSubject(change.subject ?? software.clientId)
    .setAudience(change.audience ?? `${t.deps.config.baseUrl}/oauth/token`)
    .setIssuedAt(now)
    .setExpirationTime(now + (change.expiresInSeconds ?? 120))
    .setJti(change.jti ?? randomUUID())
    .sign(change.key ?? software.privateKey);
}

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** POST /oauth/token with a form body, as software sends it. */
export async function requestToken(t: TestApp, form: Record<string, string>) {
  return t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
}

/** A token for `software` acting for its professional, with the scopes asked; fails the test otherwise. */
export async function accessTokenFor(
  t: TestApp,
  software: TestSoftware,
  scope = 'system/Patient.rs system/DocumentReference.cruds',
): Promise<string> {
  const res = await requestToken(t, {
    grant_type: 'client_credentials',
    client_assertion_type: JWT_BEARER,
    client_assertion: await clientAssertion(t, software),
    practitioner: software.professional.rpps,
    scope,
  });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { access_token: string }).access_token;
}
