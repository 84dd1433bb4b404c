import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ACTOR_TYPES } from '../audit/audit.entry.ts';
import type { Deps } from '../deps.ts';
import { accessContext, PatientParams, patientIdOf } from '../patients/patient-route.ts';
import { HISTORY_PAGE_MAX, type HistoryEntry, readAccessHistory } from './access-history.service.ts';

const HistoryQuerystring = Type.Object(
  {
    actorType: Type.Optional(Type.Union(ACTOR_TYPES.map((t) => Type.Literal(t)))),
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: HISTORY_PAGE_MAX })),
  },
  { additionalProperties: false },
);

/** GET /api/patients/:patientId/access-history: who did what in the space, newest first. */
export async function accessHistoryRoutes(fastify: FastifyInstance, { deps }: { deps: Deps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/:patientId/access-history',
    { config: { auth: 'full' }, schema: { params: PatientParams, querystring: HistoryQuerystring } },
    async (request) => {
      const page = await readAccessHistory(accessContext(deps, request), patientIdOf(request.params), request.query);
      return { entries: page.entries.map(entryView), nextBefore: page.nextBefore };
    },
  );
}

function entryView({ entry, actor, onBehalfOf }: HistoryEntry) {
  return {
    seq: entry.seq,
    occurredAt: entry.occurredAt.toISOString(),
    actor: {
      type: entry.actorType,
      name: actor.name,
      self: actor.self,
      ...(actor.organization == null ? {} : { organization: actor.organization }),
    },
    onBehalfOf: onBehalfOf === null ? null : { name: onBehalfOf.name },
    action: entry.action,
    resourceType: entry.resourceType,
    purpose: entry.purpose,
    outcome: entry.outcome,
    reason: entry.reason,
  };
}
