import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import Provider, { type InteractionContext } from 'oidc-provider';

/** Who the provider logs in next, and how strongly: the test sets it before each flow. */
export interface NextLogin {
  subject: string;
  acr: string;
  email?: string;
}

export interface OidcTestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  next: NextLogin;
  /** Authorization requests the provider received, for checking PKCE, state, nonce and acr_values. */
  authorizationRequests: URLSearchParams[];
  /**
   * Plays the browser at the provider: follows its redirects (keeping its cookies) through the
   * login interaction, until it redirects back to the client, and returns that callback URL.
   */
  authorize(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (panva/oidc-provider) on a loopback port. Its login interaction
 * logs in `next` at once, as a user who typed their credentials would be; consent is implied for
 * the test client. Everything else (discovery, PKCE, ID token signing, code exchange) is the real
 * thing.
 */
export async function startOidcTestProvider(options: { redirectUris: string[] }): Promise<OidcTestProvider> {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'carnet-test';
  const clientSecret = 'a-test-client-secret-that-is-long-enough';
  const state: { next: NextLogin } = { next: { subject: 'sub-0', acr: 'eidas2' } };
  const authorizationRequests: URLSearchParams[] = [];

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    acrValues: ['eidas1', 'eidas2', 'eidas3'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'email', 'scope_all'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['oidc-test-provider-cookie-key'] },
    jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, sub: string) {
      return { accountId: sub, claims: async () => ({ sub, email: state.next.email, email_verified: true }) };
    },
    async loadExistingGrant(ctx: InteractionContext) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email scope_all');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/auth') {
      authorizationRequests.push(url.searchParams);
      // Every authorization request logs `next` in afresh: no single sign-on from an earlier test.
      delete req.headers.cookie;
    }
    if (url.pathname.startsWith('/interaction/')) {
      void provider
        .interactionFinished(
          req,
          res,
          { login: { accountId: state.next.subject, acr: state.next.acr, amr: ['pwd', 'otp'] } },
          { mergeWithLastSubmission: false },
        )
        .catch((error: unknown) => {
          res.statusCode = 500;
          res.end(String(error));
        });
      return;
    }
    callback(req, res);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    get next() {
      return state.next;
    },
    set next(value: NextLogin) {
      state.next = value;
    },
    authorizationRequests,
    async authorize(authorizationUrl) {
      const jar = new Map<string, string>();
      let url = new URL(authorizationUrl);
      for (let hop = 0; hop < 10; hop++) {
        if (!url.href.startsWith(issuer)) return url;
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const line of res.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const [name, ...value] = (pair ?? '').split('=');
          if (name) jar.set(name.trim(), value.join('='));
        }
        const location = res.headers.get('location');
        if (location === null) throw new Error(`The provider answered ${res.status} without a redirect: ${await res.text()}`);
        url = new URL(location, url);
      }
      throw new Error('Too many redirects at the provider.');
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
