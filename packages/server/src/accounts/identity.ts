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
  await app.register(async (api) => {
    // Answers about logins and sessions are never cached, by the browser or a proxy (ASVS 5.0 14.3.2).
    api.addHook('onSend', async (_request, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });
    await api.register(loginRoutes, { prefix: '/api/auth', deps });
    await api.register(secondFactorRoutes, { prefix: '/api/auth', deps });
    await api.register(oidcRoutes, { prefix: '/api/auth', deps, clients: createOidcClients() });
    await api.register(sessionRoutes, { prefix: '/api', deps });
    await api.register(accountRoutes, { prefix: '/api/account', deps });
  });
}
