import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { describeSession } from '../accounts/account.service.ts';
import { notAuthenticated } from '../accounts/auth.errors.ts';
import type { Deps } from '../deps.ts';
import { clearSessionCookie, sessionOf } from './authentication.ts';
import { endOwnSession, listSessions, logout } from './session.service.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const Me = Type.Object({
  stage: Type.Union([Type.Literal('full'), Type.Literal('second-factor')]),
  kind: Type.Union([Type.Literal('patient'), Type.Literal('professional'), Type.Literal('operator')]),
  csrfToken: Type.String(),
  /** While the second factor is pending: which ones the account has (none: it must enrol). */
  methods: Type.Optional(Type.Array(Type.Union([Type.Literal('totp'), Type.Literal('email')]))),
  accountId: Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  sessionId: Type.Optional(Type.String()),
  authMethods: Type.Optional(Type.Array(Type.String())),
  patientId: Type.Optional(Type.String()),
  professional: Type.Optional(
    Type.Object({
      rpps: Type.String(),
      professionCode: Type.String(),
      specialtyCode: Nullable(Type.String()),
      organizationId: Nullable(Type.String()),
    }),
  ),
});

const SessionItem = Type.Object({
  id: Type.String(),
  current: Type.Boolean(),
  stage: Type.Union([Type.Literal('full'), Type.Literal('second-factor')]),
  userAgent: Nullable(Type.String()),
  methods: Type.Array(Type.String()),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  expiresAt: Type.String(),
});

/** GET /api/me, the session list, ending a session, logout. */
export async function sessionRoutes(fastify: FastifyInstance, { deps }: { deps: Deps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // Who is logged in: identity only, never health data.
  app.get('/me', { schema: { response: { 200: Me } } }, async (request) => {
    if (request.session === undefined) throw notAuthenticated();
    return describeSession(deps, request.session);
  });

  app.get(
    '/sessions',
    { config: { auth: 'full' }, schema: { response: { 200: Type.Object({ sessions: Type.Array(SessionItem) }) } } },
    async (request) => ({ sessions: await listSessions(deps, sessionOf(request)) }),
  );

  app.delete(
    '/sessions/:id',
    { config: { auth: 'full' }, schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (request, reply) => {
      const current = sessionOf(request);
      await endOwnSession(deps, current, request.params.id, request.ip);
      if (request.params.id === current.sessionId) clearSessionCookie(reply, deps.config.baseUrl);
      return reply.code(204).send();
    },
  );

  // Logout ends the session on the server, not only in the browser (ASVS 5.0 7.4.1).
  app.post('/logout', { config: { auth: 'session' } }, async (request, reply) => {
    await logout(deps, sessionOf(request), request.ip);
    clearSessionCookie(reply, deps.config.baseUrl);
    return reply.code(204).send();
  });
}
