import type { IncomingMessage, ServerResponse } from 'node:http';
import * as oidcProvider from 'oidc-provider';

/*
 * oidc-provider ships no type declarations. These are the parts of its API (v9) Carnet's OAuth
 * server uses, typed once here; the rest of the folder imports them from this file only.
 */

/** The Koa context oidc-provider hands to its configuration hooks. */
export interface ProviderContext {
  oidc: {
    route?: string;
    /** The parameters the endpoint recognises. */
    params?: Record<string, unknown>;
    /** The whole parsed request body, extension parameters included. */
    body?: Record<string, unknown>;
    client?: OidcClient;
  };
}

export interface OidcClient {
  clientId: string;
}

/** An access token being issued (ClientCredentials, later AccessToken). */
export interface IssuedToken {
  kind: string;
  clientId: string;
  scope?: string;
}

export interface ProviderInstance {
  issuer: string;
  /** Koa's `proxy`: trust X-Forwarded-Proto and -Host. */
  proxy: boolean;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  on(event: string, listener: (...args: unknown[]) => void): void;
}

/** An OAuth error (RFC 6749 §5.2) that oidc-provider renders with its status, code and description. */
export type OAuthError = Error & { error: string; error_description?: string; statusCode: number };

interface OidcProviderModule {
  default: new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;
  errors: {
    InvalidRequest: new (description: string) => OAuthError;
    InvalidTarget: new (description: string) => OAuthError;
    InvalidScope: new (description: string, scope?: string) => OAuthError;
    /** invalid_client; the detail goes to the provider's events, never to the client. */
    InvalidClientAuth: new (detail: string) => OAuthError;
  };
}

const api = oidcProvider as unknown as OidcProviderModule;

export const Provider = api.default;
export const oauthErrors = api.errors;
