import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import { sessionOf, setSessionCookie } from '../sessions/authentication.ts';
import type { StartedSession } from '../sessions/session.service.ts';
import { confirmTotpEnrolment, sendEmailCode, startTotpEnrolment, verifyEmailCode, verifyTotp } from './second-factor.service.ts';

const Code = Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false });
const FullLogin = Type.Object({ stage: Type.Literal('full'), csrfToken: Type.String() });
const BODY_LIMIT = 4096;

/** The second factor completed: the new full session's cookie replaces the half-open one. */
function loggedIn(reply: FastifyReply, deps: Deps, session: StartedSession) {
  setSessionCookie(reply, deps.config.baseUrl, session.token);
  return { stage: 'full' as const, csrfToken: session.csrfToken };
}

/** Second factors: TOTP (with enrolment) and e-mailed one-time codes. */
export async function secondFactorRoutes(fastify: FastifyInstance, { deps }: { deps: Deps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/totp',
    { bodyLimit: BODY_LIMIT, config: { auth: 'second-factor' }, schema: { body: Code, response: { 200: FullLogin } } },
    async (request, reply) => {
      const session = await verifyTotp(deps, sessionOf(request), request.body.code, request.ip);
      request.log.info({ event: 'auth.login_complete', method: 'otp', accountId: request.session?.accountId }, 'logged in');
      return loggedIn(reply, deps, session);
    },
  );

  app.post(
    '/totp/enrolment',
    {
      config: { auth: 'session' },
      schema: {
        response: { 200: Type.Object({ secret: Type.String(), otpauthUri: Type.String(), qrCode: Type.String() }) },
      },
    },
    async (request) => startTotpEnrolment(deps, sessionOf(request)),
  );

  app.post(
    '/totp/enrolment/confirm',
    {
      bodyLimit: BODY_LIMIT,
      config: { auth: 'session' },
      schema: { body: Code, response: { 200: Type.Union([FullLogin, Type.Object({ stage: Type.Literal('enrolled') })]) } },
    },
    async (request, reply) => {
      const session = await confirmTotpEnrolment(deps, sessionOf(request), request.body.code, request.ip);
      request.log.info({ event: 'auth.totp_enrolled', accountId: request.session?.accountId }, 'authenticator app enrolled');
      return session === undefined ? { stage: 'enrolled' as const } : loggedIn(reply, deps, session);
    },
  );

  app.post(
    '/email-code',
    {
      config: { auth: 'second-factor' },
      schema: { response: { 202: Type.Object({ expiresAt: Type.String() }) } },
    },
    async (request, reply) => {
      const { expiresAt } = await sendEmailCode(deps, sessionOf(request), request.ip);
      return reply.code(202).send({ expiresAt: expiresAt.toISOString() });
    },
  );

  app.post(
    '/email-code/verify',
    { bodyLimit: BODY_LIMIT, config: { auth: 'second-factor' }, schema: { body: Code, response: { 200: FullLogin } } },
    async (request, reply) => {
      const session = await verifyEmailCode(deps, sessionOf(request), request.body.code, request.ip);
      request.log.info({ event: 'auth.login_complete', method: 'email', accountId: request.session?.accountId }, 'logged in');
      return loggedIn(reply, deps, session);
    },
  );
}
