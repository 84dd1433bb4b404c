import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import { sessionOf } from '../sessions/authentication.ts';
import { changePassword } from './account.service.ts';

const Password = Type.String({ minLength: 1, maxLength: 4096 });

/** The logged-in person's own account settings. */
export async function accountRoutes(fastify: FastifyInstance, { deps }: { deps: Deps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/password',
    {
      bodyLimit: 16 * 1024,
      config: { auth: 'full' },
      schema: {
        body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      await changePassword(deps, sessionOf(request), request.body.currentPassword, request.body.newPassword, request.ip);
      return reply.code(204).send();
    },
  );
}
