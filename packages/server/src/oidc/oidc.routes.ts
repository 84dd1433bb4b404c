import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import { CarnetError } from '../errors.ts';
import { sessionOf, setSessionCookie } from '../sessions/authentication.ts';
import { oidcFlowCookie } from '../sessions/session-cookie.ts';
import { logout } from '../sessions/session.service.ts';
import type { OidcClients } from './oidc-clients.ts';
import { configuredProviders, type OidcProvider } from './oidc-providers.ts';
import { providerNotConfigured } from './oidc.errors.ts';
import { finishOidcFlow, startOidcFlow } from './oidc.service.ts';

/** Web app pages the browser lands on after a callback (paths, never a URL from the request). */
const LOGIN_PAGE: Record<OidcProvider['id'], string> = { patient: '/connexion', pro: '/pro/connexion' };
const LANDING_PAGE: Record<OidcProvider['id'], string> = { patient: '/', pro: '/compte' };
const ACCOUNT_PAGE = '/compte';

const ProviderParams = Type.Object({ provider: Type.String({ maxLength: 20 }) });

/** External login through OpenID Connect providers (patients' and professionals'). */
export async function oidcRoutes(fastify: FastifyInstance, { deps, clients }: { deps: Deps; clients: OidcClients }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const providers = configuredProviders(deps.config);
  const providerOf = (id: string) => {
    const provider = providers.find((p) => p.id === id);
    if (provider === undefined) throw providerNotConfigured();
    return provider;
  };
  const flowCookie = oidcFlowCookie(deps.config.baseUrl);

  app.get(
    '/providers',
    {
      schema: {
        response: {
          200: Type.Object({
            providers: Type.Array(Type.Object({ id: Type.String(), accountKind: Type.String() })),
          }),
        },
      },
    },
    async () => ({ providers: providers.map((p) => ({ id: p.id, accountKind: p.accountKind })) }),
  );

  // A top-level navigation from the login page's button: answers with a redirect to the provider.
  app.get('/oidc/:provider/start', { schema: { params: ProviderParams } }, async (request, reply) => {
    const provider = providerOf(request.params.provider);
    try {
      const flow = await startOidcFlow(deps, clients, provider, 'login');
      void reply.setCookie(flowCookie.name, flow.handle, { ...flowCookie.options, maxAge: 600 });
      return reply.redirect(flow.authorizationUrl.href, 303);
    } catch (error) {
      // A browser navigation: the provider being unreachable is shown on the login page.
      if (!(error instanceof CarnetError) || !error.code.startsWith('oidc_')) throw error;
      request.log.warn({ event: 'auth.oidc_unavailable', provider: provider.id, err: error.cause }, 'identity provider unreachable');
      return reply.redirect(`${LOGIN_PAGE[provider.id]}?erreur=${error.code}`, 303);
    }
  });

  // Linking needs a full session and the CSRF token (a POST): an attacker must not be able to
  // link an identity of theirs to someone else's account.
  app.post(
    '/oidc/:provider/link',
    {
      config: { auth: 'full' },
      schema: { params: ProviderParams, response: { 200: Type.Object({ authorizationUrl: Type.String() }) } },
    },
    async (request, reply) => {
      const provider = providerOf(request.params.provider);
      const flow = await startOidcFlow(deps, clients, provider, 'link', sessionOf(request));
      void reply.setCookie(flowCookie.name, flow.handle, { ...flowCookie.options, maxAge: 600 });
      return { authorizationUrl: flow.authorizationUrl.href };
    },
  );

  app.get('/oidc/:provider/callback', { schema: { params: ProviderParams } }, async (request, reply) => {
    const provider = providerOf(request.params.provider);
    void reply.clearCookie(flowCookie.name, flowCookie.options);
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    try {
      const outcome = await finishOidcFlow(deps, clients, provider, {
        handle: request.cookies[flowCookie.name],
        callbackQuery: query,
        session: request.session,
        userAgent: request.headers['user-agent'],
        sourceIp: request.ip,
      });
      if (outcome.intent === 'link') {
        request.log.info({ event: 'auth.identity_linked', provider: provider.id, accountId: request.session?.accountId }, 'identity linked');
        return reply.redirect(`${ACCOUNT_PAGE}?identite=reliee`, 303);
      }
      if (request.session !== undefined) await logout(deps, request.session, request.ip);
      setSessionCookie(reply, deps.config.baseUrl, outcome.session.token);
      request.log.info({ event: 'auth.login_complete', method: 'ext', provider: provider.id }, 'logged in');
      return reply.redirect(LANDING_PAGE[provider.id], 303);
    } catch (error) {
      if (!(error instanceof CarnetError) || !error.code.startsWith('oidc_')) throw error;
      request.log.warn({ event: 'auth.oidc_refused', provider: provider.id, code: error.code }, 'external login refused');
      const back = request.session?.stage === 'full' ? ACCOUNT_PAGE : LOGIN_PAGE[provider.id];
      return reply.redirect(`${back}?erreur=${error.code}`, 303);
    }
  });
}
