import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import { actorOf } from '../sessions/authentication.ts';
import { MAX_CLIENT_KEYS } from './client-jwks.ts';
import { listSoftwareClients, registerSoftwareClient, revokeSoftwareClient } from './software-clients.service.ts';

const SoftwareClient = Type.Object(
  {
    clientId: Type.String(),
    name: Type.String(),
    scopes: Type.String(),
    keys: Type.Array(Type.String()),
    createdAt: Type.String(),
    revokedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

const Registration = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    // Checked member by member in client-jwks.ts, which says what is wrong with a key.
    jwks: Type.Object({ keys: Type.Array(Type.Object({}), { minItems: 1, maxItems: MAX_CLIENT_KEYS }) }, { additionalProperties: false }),
    scopes: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

const ClientParams = Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

/**
 * /api/professional/software-clients: a professional registers the public keys of their own
 * software, lists it, and revokes it. Only from a web session (`webSessionOnly`): software holding
 * a token cannot register more software or keep itself alive.
 */
export async function softwareClientRoutes(fastify: FastifyInstance, { deps }: { deps: Deps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const config = { auth: 'full', webSessionOnly: true } as const;

  app.post(
    '/',
    { config, bodyLimit: 64 * 1024, schema: { body: Registration, response: { 201: SoftwareClient } } },
    async (request, reply) => {
      const client = await registerSoftwareClient({ db: deps.db, clock: deps.clock, actor: actorOf(request) }, request.body);
      return reply.code(201).send(client);
    },
  );

  app.get('/', { config, schema: { response: { 200: Type.Object({ items: Type.Array(SoftwareClient) }) } } }, async (request) => ({
    items: await listSoftwareClients({ db: deps.db, actor: actorOf(request) }),
  }));

  app.delete('/:clientId', { config, schema: { params: ClientParams } }, async (request, reply) => {
    await revokeSoftwareClient({ db: deps.db, clock: deps.clock, actor: actorOf(request), oauth: deps.oauth }, request.params.clientId);
    return reply.code(204).send();
  });
}
