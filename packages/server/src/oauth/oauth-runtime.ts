import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { FHIR_PREFIX } from '../http/error-response.ts';
import type { ProfessionalActor } from '../policy/actor.ts';
import { createAccessTokenVerifier } from './access-token.ts';
import type { OAuthSigningKeys } from './signing-keys.ts';
import { createSoftwareActors } from './software-actor.ts';

/** Where oidc-provider is mounted; the issuer is CARNET_BASE_URL followed by it. */
export const OAUTH_PREFIX = '/oauth';

/** Carnet's OAuth server and resource server, as the rest of the application reaches them. */
export interface OAuthRuntime {
  /** `${CARNET_BASE_URL}/oauth`. */
  readonly issuer: string;
  /** `${CARNET_BASE_URL}/fhir/R4`: the resource, and every access token's audience. */
  readonly fhirBase: string;
  /** Holds private keys: never log this object. */
  readonly keys: OAuthSigningKeys;
  /**
   * The professional acting through the software that presents `token` (an `Authorization:
   * Bearer` value). Throws a 401 `invalid_token` error when the token is not one of Carnet's live
   * access tokens for this FHIR base, or its client or professional may no longer act.
   */
  authenticate(token: string): Promise<ProfessionalActor>;
  /** After revoking a client on this node: its tokens are refused here from now on. */
  forgetClient(clientId: string): void;
}

export function createOAuthRuntime(options: {
  config: Pick<Config, 'baseUrl' | 'oauthClientCacheSeconds'>;
  db: Kysely<Database>;
  clock: Clock;
  keys: OAuthSigningKeys;
}): OAuthRuntime {
  const { config, db, clock, keys } = options;
  const issuer = `${config.baseUrl}${OAUTH_PREFIX}`;
  const fhirBase = `${config.baseUrl}${FHIR_PREFIX}`;
  const verify = createAccessTokenVerifier({ keys, issuer, audience: fhirBase, clock });
  const actors = createSoftwareActors({ db, clock, cacheSeconds: config.oauthClientCacheSeconds });
  return {
    issuer,
    fhirBase,
    keys,
    authenticate: async (token) => actors.actorOf(await verify(token)),
    forgetClient: (clientId) => actors.forgetClient(clientId),
  };
}
