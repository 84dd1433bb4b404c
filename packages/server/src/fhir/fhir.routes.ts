import type { FastifyInstance } from 'fastify';
import { FHIR_PREFIX } from '../http/error-response.ts';
import { capabilityStatement } from './capability-statement.ts';

export const FHIR_JSON = 'application/fhir+json';

/** The FHIR R4 REST API. Resource interactions arrive with the resource store. */
export async function fhirRoutes(app: FastifyInstance, options: { baseUrl: string; version: string }) {
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('application/json')) reply.type(`${FHIR_JSON}; charset=utf-8`);
    return payload;
  });

  const statement = capabilityStatement(`${options.baseUrl}${FHIR_PREFIX}`, options.version, new Date());
  app.get('/metadata', async () => statement);
}
