import * as client from 'openid-client';
import { isLoopbackUrl } from '../config.ts';
import type { OidcProvider, ProviderId } from './oidc-providers.ts';

export interface OidcClients {
  /** The provider's discovered configuration (OpenID Connect Discovery 1.0), fetched once. */
  configurationOf(provider: OidcProvider): Promise<client.Configuration>;
}

/**
 * Discovery is done lazily and cached per process; a failed discovery is retried next time, so
 * a provider that was down at start does not need a restart.
 */
export function createOidcClients(): OidcClients {
  const cache = new Map<ProviderId, Promise<client.Configuration>>();
  return {
    configurationOf(provider) {
      let configuration = cache.get(provider.id);
      if (configuration === undefined) {
        configuration = client.discovery(
          new URL(provider.issuer),
          provider.clientId,
          undefined,
          client.ClientSecretBasic(provider.clientSecret),
          // Plain http is allowed for a provider on this machine only (config.ts refuses it elsewhere).
          isLoopbackUrl(provider.issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
        );
        configuration.catch(() => cache.delete(provider.id));
        cache.set(provider.id, configuration);
      }
      return configuration;
    },
  };
}
