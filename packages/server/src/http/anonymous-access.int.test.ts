import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';

/**
 * The routes anyone may call, each for a reason. Every other route must answer an anonymous
 * caller 401 before it reads a body or a parameter (security checklist C8; OWASP API8:2023).
 */
const PUBLIC = new Map<string, string>([
  ['GET /', 'the web app'],
  ['GET /index.html', 'the web app'],
  ['GET /robots.txt', 'asks search engines not to index the app'],
  ['GET /healthz', 'liveness probe'],
  ['GET /readyz', 'readiness probe'],
  ['GET /metrics', 'Prometheus scrape: the loopback address or CARNET_METRICS_TOKEN (docs/operations.md)'],
  ['GET /fhir/R4/metadata', 'FHIR R4 requires the CapabilityStatement to be readable without authentication'],
  ['GET /api/me', 'says who is logged in, 401 when nobody is'],
  ['GET /api/auth/providers', 'the login page lists the configured identity providers'],
  ['POST /api/auth/login', 'login'],
  ['POST /api/auth/password-reset', 'asking for a reset link'],
  ['POST /api/auth/password-reset/confirm', 'setting a password with a reset link'],
  ['GET /api/auth/oidc/:provider/start', 'starting a login at an identity provider'],
  ['GET /api/auth/oidc/:provider/callback', 'the identity provider sends the browser back here'],
  ['GET /oauth/.well-known/openid-configuration', "OAuth server metadata (RFC 8414): how software finds Carnet's token endpoint"],
  ['GET /oauth/jwks', 'the public keys access tokens are signed with, for resource servers to verify them'],
  ['POST /oauth/token', 'software authenticates itself here, with a signed client assertion in the body (RFC 7523)'],
]);

/** The built web app's files: fingerprinted assets and the design system, public by nature. */
const isStaticFile = (url: string) => url.startsWith('/assets/') || url.startsWith('/dsfr/');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('answers 401 to an anonymous caller on every route but the public ones', async () => {
  const routes = t.app.routeTable.declared.filter((r) => r.method !== 'HEAD' && !isStaticFile(r.url));
  expect(routes.length).toBeGreaterThan(20);
  const unexpected: string[] = [];
  for (const route of routes) {
    const key = `${route.method} ${route.url}`;
    if (PUBLIC.has(key)) continue;
    const url = route.url
      .replace(/:patientId|:id/g, '3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f')
      .replace(':provider', 'patient');
    const res = await t.app.inject({
      method: route.method as 'GET',
      url,
      // A same-origin browser request, so that only the missing session can refuse it.
      headers: { origin: t.deps.config.baseUrl },
      ...(route.method === 'GET' ? {} : { payload: {} }),
    });
    if (res.statusCode !== 401) unexpected.push(`${key} → ${res.statusCode}`);
  }
  expect(unexpected).toEqual([]);
});

it('lists only public routes that exist', () => {
  const declared = new Set(t.app.routeTable.declared.map((r) => `${r.method} ${r.url}`));
  for (const key of PUBLIC.keys()) expect(declared.has(key), key).toBe(true);
});
