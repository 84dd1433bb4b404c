import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { FHIR_PREFIX } from '../http/error-response.ts';
import { capabilityStatement } from './capability-statement.ts';
import type { FhirResourceModule } from './fhir-resource.ts';

export const FHIR_JSON = 'application/fhir+json';

/** The FHIR R4 REST API: the CapabilityStatement and each resource type's routes. */
export async function fhirRoutes(
  app: FastifyInstance,
  options: { deps: Deps; version: string; resources: readonly FhirResourceModule[] },
) {
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('application/json')) reply.type(`${FHIR_JSON}; charset=utf-8`);
    return payload;
  });

  const fhirBase = `${options.deps.config.baseUrl}${FHIR_PREFIX}`;
  const statement = capabilityStatement(fhirBase, options.version, new Date(), options.resources.map((r) => r.capability));
  app.get('/metadata', async () => statement);
  for (const resource of options.resources) await resource.routes(app, { deps: options.deps, fhirBase });
}
