import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { type TransactionHandler } from '../fhir-store/bundle-interactions.ts';
import { bundleRoute } from '../fhir-store/bundle.routes.ts';
import { InvalidResource } from '../fhir-store/fhir-store.errors.ts';
import type { StoredTypeBinding } from '../fhir-store/resource-access.ts';
import { FHIR_PREFIX } from '../http/error-response.ts';
import { checkSoftwareScopes } from '../oauth/fhir-scope-check.ts';
import { capabilityStatement } from './capability-statement.ts';
import type { FhirResourceModule } from './fhir-resource.ts';

export const FHIR_JSON = 'application/fhir+json';

/**
 * The FHIR R4 REST API: the CapabilityStatement, each resource type's routes, and transaction and
 * batch Bundles posted to the base (first to the features that claim them, as MHD's ITI-65).
 */
export async function fhirRoutes(
  app: FastifyInstance,
  options: {
    deps: Deps;
    version: string;
    resources: readonly FhirResourceModule[];
    transactionHandlers?: readonly TransactionHandler[];
  },
) {
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('application/json')) reply.type(`${FHIR_JSON}; charset=utf-8`);
    return payload;
  });
  // After the body is parsed (a Bundle's entries are interactions too), before any route reads.
  app.addHook('preHandler', async (request) => checkSoftwareScopes(request.actor, request));
  // A resource that breaks the definitions answers every problem found, each with its location;
  // any other error goes on to the application's error handler.
  app.setErrorHandler((error, _request, reply) => {
    if (!(error instanceof InvalidResource)) throw error;
    return reply.code(400).type(`${FHIR_JSON}; charset=utf-8`).send({ resourceType: 'OperationOutcome', issue: error.issues });
  });
  // JSON Patch bodies (FHIR R4 http §3.1.0.6), and the form body of POST [type]/_search.
  app.addContentTypeParser('application/json-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  }

  const fhirBase = `${options.deps.config.baseUrl}${FHIR_PREFIX}`;
  const storedTypes = new Map<string, StoredTypeBinding>(
    options.resources.flatMap((r) => (r.stored === undefined ? [] : [[r.stored.resourceType, r.stored] as const])),
  );
  const handlers = options.transactionHandlers ?? [];
  const statement = capabilityStatement(fhirBase, options.version, new Date(), options.resources.map((r) => r.capability), {
    transaction: storedTypes.size > 0 || handlers.length > 0,
    batch: storedTypes.size > 0,
  });
  app.get('/metadata', async () => statement);
  for (const resource of options.resources) await resource.routes(app, { deps: options.deps, fhirBase, storedTypes });
  if (storedTypes.size > 0 || handlers.length > 0) bundleRoute(app, { deps: options.deps, fhirBase, storedTypes, handlers });
}
