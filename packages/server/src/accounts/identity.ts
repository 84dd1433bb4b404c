import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { secondFactorRoutes } from '../login/second-factor.routes.ts';
import { loginRoutes } from '../login/login.routes.ts';
import { createOidcClients } from '../oidc/oidc-clients.ts';
import { oidcRoutes } from '../oidc/oidc.routes.ts';
import { registerAuthentication } from '../sessions/authentication.ts';
import { sessionRoutes } from '../sessions/sessions.routes.ts';
import { accountRoutes } from './account.routes.ts';

/**
 * Who is asking: the authentication hook (cookie → session → request.actor, CSRF checks) for
 * every route registered after it, and the routes of login, sessions, accounts and external
 * identity providers.
 */
export async function registerIdentity(app: FastifyInstance, deps: Deps) {
  if (deps.config.smtpRelayUrl === undefined) {
    app.log.warn({ outbox: deps.mailer.destination }, 'SMTP_RELAY_URL is not set: login codes and reset links are written to the outbox folder');
  }
  await registerAuthentication(app, deps);
  await app.register(loginRoutes, { prefix: '/api/auth', deps });
  await app.register(secondFactorRoutes, { prefix: '/api/auth', deps });
  await app.register(oidcRoutes, { prefix: '/api/auth', deps, clients: createOidcClients() });
  await app.register(sessionRoutes, { prefix: '/api', deps });
  await app.register(accountRoutes, { prefix: '/api/account', deps });
}
