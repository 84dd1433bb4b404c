import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { actingProfessional } from './acting-professional.ts';
import { createOAuthAdapter } from './oauth-adapter.ts';
import { type IssuedToken, oauthErrors, Provider, type ProviderContext, type ProviderInstance } from './oidc-provider-api.ts';
import type { OAuthSigningKeys } from './signing-keys.ts';
import { grantableScopes, splitScopes } from './smart-scopes.ts';
import { findSoftwareClient, type SoftwareClientRow } from './software-client.repository.ts';

/**
 * Algorithms a client may sign its assertion with (RFC 7523): asymmetric only, since Carnet holds
 * no client secret (SMART Backend Services asks for RS384 and ES384 at least; checklist D9).
 */
export const CLIENT_ASSERTION_ALGS = ['ES256', 'ES384', 'PS256', 'PS384', 'RS256', 'RS384', 'EdDSA'] as const;

/** Checklist D9: an assertion lives 5 minutes at most, so that its jti need not be kept longer. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/** Seconds of clock difference tolerated between Carnet and a client (oidc-provider's default). */
const CLOCK_TOLERANCE_SECONDS = 15;

export interface OAuthServerOptions {
  /** `${baseUrl}/oauth`. */
  issuer: string;
  /** The FHIR base: the only resource, and every access token's audience. */
  fhirBase: string;
  db: Kysely<Database>;
  keys: OAuthSigningKeys;
  accessTokenTtlSeconds: number;
}

/**
 * The oidc-provider configuration of Carnet's authorization server. Today it serves professionals'
 * software with the client credentials grant (`private_key_jwt` only); the catalogue issue adds
 * authorization code + PKCE for SMART apps, for which PKCE is already required of every client
 * (checklist D1). The development login is off (D11) and nothing is kept in memory: the state is
 * in PostgreSQL (oauth-adapter.ts).
 */
export function oauthProviderConfiguration(options: OAuthServerOptions): Record<string, unknown> {
  const { db, keys, fhirBase, accessTokenTtlSeconds } = options;
  return {
    adapter: createOAuthAdapter(db),
    jwks: keys.privateJwks,
    cookies: { keys: [...keys.cookieKeys] },
    clientAuthMethods: ['private_key_jwt'],
    enabledJWA: { clientAuthSigningAlgValues: [...CLIENT_ASSERTION_ALGS] },
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    responseTypes: ['code'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Not served until the catalogue issue has users to log in and end sessions for.
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // RFC 8707 §2: a request without `resource` is for the FHIR server, the only one.
        defaultResource: async () => fhirBase,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx: ProviderContext, resource: string) => {
          if (resource !== fhirBase) throw new oauthErrors.InvalidTarget(`the only resource served is the FHIR base ${fhirBase}`);
          if (ctx.oidc.params?.grant_type !== 'client_credentials') {
            throw new oauthErrors.InvalidTarget('only professional software (client credentials) gets tokens for the FHIR base yet');
          }
          const client = await softwareClientOf(db, ctx);
          return {
            scope: softwareScopes(ctx, client).join(' '),
            audience: fhirBase,
            accessTokenTTL: accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: keys.accessTokenAlg, kid: keys.accessTokenKid } },
          };
        },
      },
    },
    ttl: {
      ClientCredentials: accessTokenTtlSeconds,
      AccessToken: accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: accessTokenTtlSeconds,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    // RFC 7523 §3: the assertion's subject is the client, and (checklist D9) it expires soon.
    assertJwtClientAuthClaimsAndHeader: async (_ctx: ProviderContext, claims: Record<string, unknown>) => {
      if (claims.sub !== claims.iss) throw new oauthErrors.InvalidClientAuth('sub (JWT subject) must be the client_id');
      const now = Math.floor(Date.now() / 1000);
      if (typeof claims.exp !== 'number' || claims.exp > now + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
        throw new oauthErrors.InvalidClientAuth(`client assertions must expire within ${MAX_ASSERTION_LIFETIME_SECONDS} seconds`);
      }
    },
    extraTokenClaims: async (ctx: ProviderContext, token: IssuedToken) => {
      if (token.kind !== 'ClientCredentials') return undefined;
      // `practitioner` is a Carnet extension parameter: oidc-provider keeps it out of
      // ctx.oidc.params, and the parsed body still holds it.
      const claims = await actingProfessional(db, await softwareClientOf(db, ctx), ctx.oidc.body?.practitioner);
      return { ...claims };
    },
    // No HTML page: every answer of this server is for software, in JSON (RFC 6749 §5.2).
    renderError: async (ctx: { type: string; body: unknown }, out: unknown) => {
      ctx.type = 'application/json';
      ctx.body = out;
    },
  };
}

export function createOAuthProvider(options: OAuthServerOptions): ProviderInstance {
  const provider = new Provider(options.issuer, oauthProviderConfiguration(options));
  // Koa builds the endpoints' URLs from X-Forwarded-Proto and -Host, which the mount sets from
  // CARNET_BASE_URL (oauth.routes.ts): the discovery document names the public address.
  provider.proxy = true;
  return provider;
}

async function softwareClientOf(db: Kysely<Database>, ctx: ProviderContext): Promise<SoftwareClientRow> {
  const clientId = ctx.oidc.client?.clientId;
  const client = clientId === undefined ? undefined : await findSoftwareClient(db, clientId);
  // The client authenticated a moment ago: gone now, it was revoked in between.
  if (client === undefined || client.revoked_at !== null) throw new oauthErrors.InvalidClientAuth('the client is unknown or revoked');
  return client;
}

/** The requested scopes the client may have; none is an error that lists what it may ask. */
function softwareScopes(ctx: ProviderContext, client: SoftwareClientRow): string[] {
  const requested = splitScopes(typeof ctx.oidc.params?.scope === 'string' ? ctx.oidc.params.scope : undefined);
  const granted = grantableScopes(requested, splitScopes(client.allowed_scopes));
  if (granted.length === 0) {
    throw new oauthErrors.InvalidScope(
      requested.length === 0
        ? `scope is required; this client may ask for ${client.allowed_scopes}`
        : `none of the requested scopes is allowed for this client, which may ask for ${client.allowed_scopes}`,
    );
  }
  return granted;
}
