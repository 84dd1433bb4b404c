import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

/** A software client's signing key, as the client holds it. */
export interface ClientKey {
  clientId: string;
  kid: string;
  alg: string;
  key: Parameters<SignJWT['sign']>[0];
}

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * What a professional's software signs to authenticate at Carnet's token endpoint
 * (`private_key_jwt`, RFC 7523 §2.2): issued by and about the client, for that endpoint, short-lived
 * and single-use (a fresh jti).
 */
export function signClientAssertion(client: ClientKey, tokenEndpoint: string, lifetimeSeconds = 120): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: client.alg, kid: client.kid, typ: 'JWT' })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(tokenEndpoint)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .setJti(randomUUID())
    .sign(client.key);
}

/**
 * Client credentials at `carnetUrl`, acting for the professional `practitioner` (RPPS), as
 * docs/interop.md shows with curl: the access token, or an error with the endpoint's answer.
 */
export async function requestSoftwareToken(carnetUrl: string, client: ClientKey, grant: { practitioner: string; scope: string }): Promise<string> {
  const tokenEndpoint = `${carnetUrl}/oauth/token`;
  const res = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: await signClientAssertion(client, tokenEndpoint),
      practitioner: grant.practitioner,
      scope: grant.scope,
    }),
  });
  if (res.status !== 200) throw new Error(`The token endpoint answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
