import { createLocalJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { Clock } from '../clock.ts';
import { invalidToken } from './oauth.errors.ts';
import type { OAuthSigningKeys } from './signing-keys.ts';
import { splitScopes } from './smart-scopes.ts';

/** What the resource server takes from a verified access token. */
export interface AccessTokenClaims {
  clientId: string;
  /** The acting professional (token endpoint parameter `practitioner`). */
  rpps: string;
  scopes: string[];
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** Verified tokens kept in memory: a software client reuses its token for its whole lifetime. */
const MAX_REMEMBERED_TOKENS = 10_000;

/**
 * Verifies Carnet's own access tokens locally, with no database round trip (RFC 9068 §4): signed
 * by one of the OAuth server's keys with an allow-listed algorithm, typed `at+jwt` (an ID token or
 * any other JWT is refused), issued by this server for this FHIR base, and not expired (checklist
 * D4, D10). Whether the client was revoked since is for the caller to check.
 */
export function createAccessTokenVerifier(options: {
  keys: OAuthSigningKeys;
  issuer: string;
  audience: string;
  clock: Clock;
}): (token: string) => Promise<AccessTokenClaims> {
  const jwks = createLocalJWKSet(options.keys.publicJwks);
  const verified = new Map<string, AccessTokenClaims>();
  return async (token) => {
    const nowSeconds = Math.floor(options.clock.now().getTime() / 1000);
    const known = verified.get(token);
    if (known !== undefined) {
      if (known.expiresAt > nowSeconds) return known;
      verified.delete(token);
      throw invalidToken('it has expired; ask the token endpoint for a new one');
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [...options.keys.algorithms],
        typ: 'at+jwt',
        currentDate: options.clock.now(),
        requiredClaims: ['exp', 'iat', 'client_id'],
      }));
    } catch (error) {
      throw invalidToken(describe(error));
    }
    const claims = claimsOf(payload);
    if (verified.size >= MAX_REMEMBERED_TOKENS) verified.delete(verified.keys().next().value!);
    verified.set(token, claims);
    return claims;
  };
}

function claimsOf(payload: Record<string, unknown>): AccessTokenClaims {
  const { client_id: clientId, rpps, scope, exp } = payload;
  if (typeof clientId !== 'string' || typeof rpps !== 'string' || typeof exp !== 'number') {
    throw invalidToken('it names no software client and professional; it was not issued to professional software');
  }
  return { clientId, rpps, scopes: splitScopes(typeof scope === 'string' ? scope : undefined), expiresAt: exp };
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired; ask the token endpoint for a new one';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'it was issued for another audience than this FHIR server';
    if (error.claim === 'iss') return 'it was issued by another authorization server';
    if (error.claim === 'typ') return 'it is not an access token (typ must be at+jwt)';
    if (error.claim === 'nbf') return 'it is not valid yet';
    return `its ${error.claim} claim is missing or wrong`;
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'its signature algorithm is not accepted';
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return 'its signature does not match any key of this server';
  }
  return 'it is not a well-formed signed JWT';
}
