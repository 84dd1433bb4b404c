import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { createOAuthProvider } from './oauth-provider.ts';
import { OAUTH_PREFIX } from './oauth-runtime.ts';
import type { OAuthError } from './oidc-provider-api.ts';

/**
 * The endpoints of oidc-provider that Carnet serves, relative to /oauth. Each is declared, so that
 * the anonymous-access test sees it; oidc-provider's other endpoints stay unreachable until a
 * feature needs them (the catalogue adds authorization and its interactions).
 */
const ENDPOINTS = [
  { method: 'GET', url: '/.well-known/openid-configuration' },
  { method: 'GET', url: '/jwks' },
  { method: 'POST', url: '/token' },
] as const;

/** Security headers every answer carries, as security-headers.ts sets them on Fastify's own. */
const HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * Mounts oidc-provider (a Koa application) under /oauth: Fastify routes the request, then hands
 * the untouched request stream to the provider, which parses the body itself.
 */
export async function oauthRoutes(app: FastifyInstance, options: { deps: Deps }) {
  const { deps } = options;
  const provider = createOAuthProvider({
    issuer: deps.oauth.issuer,
    fhirBase: deps.oauth.fhirBase,
    db: deps.db,
    keys: deps.oauth.keys,
    accessTokenTtlSeconds: deps.config.oauthAccessTokenTtlSeconds,
  });
  // What a refused request was refused for, for the operator helping a software vendor; the
  // provider's answer to the client says less (invalid_client gives no reason, RFC 6749 §5.2).
  provider.on('grant.error', (_ctx, error) => {
    const { error: code, error_description: description, error_detail: detail } = error as OAuthError & { error_detail?: string };
    app.log.info({ oauthError: code, description, detail }, 'token request refused');
  });
  provider.on('server_error', (_ctx, error) => app.log.error({ err: error }, 'OAuth server error'));

  // Bodies are the provider's to read (RFC 6749 §3.2: form-encoded): no Fastify parser consumes them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

  const base = new URL(deps.config.baseUrl);
  const callback = provider.callback();
  const handle = (request: FastifyRequest, reply: FastifyReply) => {
    const raw = request.raw as IncomingMessage & { originalUrl?: string };
    const original = raw.url ?? OAUTH_PREFIX;
    // The provider routes on the path below its mount and finds its mount path by comparing
    // originalUrl with url (as under Express).
    raw.originalUrl = original;
    raw.url = original.slice(OAUTH_PREFIX.length) || '/';
    // Its URLs (discovery, the token endpoint a client assertion names) come from these, never
    // from what the client sent; the address it sees is the one Fastify trusted.
    raw.headers['x-forwarded-proto'] = base.protocol.slice(0, -1);
    raw.headers['x-forwarded-host'] = base.host;
    raw.headers['x-forwarded-for'] = request.ip;
    reply.raw.once('close', () => {
      raw.url = original;
    });
    reply.hijack();
    for (const [name, value] of Object.entries(HEADERS)) reply.raw.setHeader(name, value);
    callback(raw, reply.raw);
  };
  for (const endpoint of ENDPOINTS) app.route({ method: endpoint.method, url: endpoint.url, handler: handle });
}
