import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import { CarnetError } from '../errors.ts';
import { setSessionCookie } from '../sessions/authentication.ts';
import { logout } from '../sessions/session.service.ts';
import { loginWithPassword } from './login.service.ts';
import { requestPasswordReset, resetPassword } from './password-reset.service.ts';

export const AccountKindSchema = Type.Union([Type.Literal('patient'), Type.Literal('professional'), Type.Literal('operator')]);
const Email = Type.String({ minLength: 3, maxLength: 254 });
/** Long enough for any password the policy accepts, short enough to bound the work. */
const Password = Type.String({ minLength: 1, maxLength: 4096 });

export const SecondFactorStep = Type.Object({
  stage: Type.Literal('second-factor'),
  methods: Type.Array(Type.Union([Type.Literal('totp'), Type.Literal('email')])),
  /** No second factor yet: the account enrols one now. */
  enrolment: Type.Boolean(),
  csrfToken: Type.String(),
});

const LOGIN_BODY_LIMIT = 16 * 1024;

/** POST /api/auth/login and the password reset routes: pre-login, so only the Origin is checked. */
export async function loginRoutes(fastify: FastifyInstance, { deps }: { deps: Deps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/login',
    {
      bodyLimit: LOGIN_BODY_LIMIT,
      config: { csrf: 'origin-only' },
      schema: {
        body: Type.Object({ kind: AccountKindSchema, email: Email, password: Password }, { additionalProperties: false }),
        response: { 200: SecondFactorStep },
      },
    },
    async (request, reply) => {
      const result = await loginWithPassword(deps, {
        ...request.body,
        sourceAddress: request.ip,
        userAgent: request.headers['user-agent'],
      }).catch((error: unknown) => {
        // ASVS 5.0 16.3.1: failed logins are logged, without the address typed or the password.
        if (error instanceof CarnetError) request.log.warn({ event: 'auth.login_refused', code: error.code }, 'login refused');
        throw error;
      });
      // A login in a browser that had a session replaces it, on the server too.
      if (request.session !== undefined) await logout(deps, request.session, request.ip);
      setSessionCookie(reply, deps.config.baseUrl, result.session.token);
      request.log.info({ event: 'auth.password_ok', accountId: result.accountId }, 'password accepted, second factor pending');
      return {
        stage: 'second-factor' as const,
        methods: result.methods,
        enrolment: result.methods.length === 0,
        csrfToken: result.session.csrfToken,
      };
    },
  );

  app.post(
    '/password-reset',
    {
      bodyLimit: LOGIN_BODY_LIMIT,
      config: { csrf: 'origin-only' },
      schema: {
        body: Type.Object({ kind: AccountKindSchema, email: Email }, { additionalProperties: false }),
        response: { 202: Type.Object({ status: Type.Literal('accepted'), message: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { delivery } = await requestPasswordReset(deps, { ...request.body, sourceAddress: request.ip });
      // Not awaited: the answer must not wait for, or depend on, whether a mail was sent.
      delivery?.catch((error: unknown) => request.log.error({ err: error }, 'password reset e-mail not sent'));
      return reply.code(202).send({
        status: 'accepted' as const,
        message: 'If an account uses this address, a reset link is on its way; it is valid for 30 minutes.',
      });
    },
  );

  app.post(
    '/password-reset/confirm',
    {
      bodyLimit: LOGIN_BODY_LIMIT,
      config: { csrf: 'origin-only' },
      schema: {
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      await resetPassword(deps, { ...request.body, sourceAddress: request.ip });
      return reply.code(204).send();
    },
  );
}
