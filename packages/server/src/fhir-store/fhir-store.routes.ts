import type { Resource } from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { badRequest, unsupportedMediaType } from '../errors.ts';
import type { FhirResourceCapability, FhirResourceModule } from '../fhir/fhir-resource.ts';
import { accessContext } from '../patients/patient-route.ts';
import { CARNET_SEARCH_PARAMETERS } from './carnet-search-parameters.ts';
import { loadFhirDefinitions, searchParamsOf } from './definitions.ts';
import {
  createInteraction,
  deleteInteraction,
  etagOf,
  type FhirAnswer,
  type FhirCall,
  historyInteraction,
  parseIfMatch,
  patchInteraction,
  readInteraction,
  searchInteraction,
  updateInteraction,
  vreadInteraction,
} from './fhir-interactions.ts';
import { FHIR_JSON } from '../fhir/fhir.routes.ts';
import { JsonText } from '../fhir/json-text.ts';
import { ALL_INTERACTIONS, type ResourceAccess, type StoredInteraction, type StoredTypeBinding } from './resource-access.ts';
import { MAX_HISTORY_PAGE } from './resource-store.service.ts';

const JSON_TYPES = ['application/fhir+json', 'application/json'];
const JSON_PATCH = 'application/json-patch+json';
const FORM = 'application/x-www-form-urlencoded';
const CARNET_PARAMS = new Set(CARNET_SEARCH_PARAMETERS.map((p) => p.url));

/**
 * A resource type kept in the FHIR store, served under /fhir/R4 with the interactions given (all
 * by default), each decided by `access`. Register the module in app.ts's FHIR resources; its
 * CapabilityStatement entry lists exactly these interactions and the type's search parameters.
 */
export function storedResourceModule<T extends Resource = Resource>(options: {
  resourceType: string;
  access: ResourceAccess<T>;
  interactions?: readonly StoredInteraction[];
}): FhirResourceModule {
  const interactions = new Set(options.interactions ?? ALL_INTERACTIONS);
  const binding = { resourceType: options.resourceType, access: options.access, interactions } as unknown as StoredTypeBinding;
  return {
    // Built when the CapabilityStatement is, at start: the definitions load then, not on import.
    get capability() {
      return capabilityOf(options.resourceType, interactions);
    },
    stored: binding,
    async routes(app, { deps, fhirBase, storedTypes }) {
      loadFhirDefinitions();
      registerStoredTypeRoutes(app, { deps, fhirBase, storedTypes, binding });
    },
  };
}

function capabilityOf(resourceType: string, interactions: ReadonlySet<StoredInteraction>): FhirResourceCapability {
  const params = [...searchParamsOf(resourceType).values()];
  return {
    type: resourceType,
    interaction: ALL_INTERACTIONS.filter((i) => interactions.has(i)).map((code) => ({ code })),
    versioning: 'versioned-update',
    readHistory: interactions.has('history-instance'),
    updateCreate: false,
    conditionalCreate: interactions.has('create'),
    conditionalUpdate: false,
    conditionalDelete: 'not-supported',
    ...(interactions.has('search-type')
      ? {
          searchInclude: params.filter((p) => p.type === 'reference').map((p) => `${resourceType}:${p.code}`),
          searchParam: params.map((p) => ({
            name: p.code,
            type: p.type,
            definition: p.url,
            ...(CARNET_PARAMS.has(p.url) && p.description !== undefined ? { documentation: p.description } : {}),
          })),
        }
      : {}),
  };
}

function registerStoredTypeRoutes(
  app: FastifyInstance,
  options: { deps: Deps; fhirBase: string; storedTypes: ReadonlyMap<string, StoredTypeBinding>; binding: StoredTypeBinding },
) {
  const { binding } = options;
  const type = binding.resourceType;
  const allowed = (interaction: StoredInteraction) => binding.interactions.has(interaction);
  const callOf = (request: FastifyRequest): FhirCall => ({
    context: accessContext(options.deps, request),
    fhirBase: options.fhirBase,
    bindings: options.storedTypes,
  });
  const route = { config: { auth: 'full' as const } };
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  if (allowed('read')) {
    app.get(`/${type}/:id`, route, async (request, reply) => send(reply, options.fhirBase, await readInteraction(callOf(request), binding, idOf(request))));
  }
  if (allowed('vread')) {
    app.get(`/${type}/:id/_history/:versionId`, route, async (request, reply) => {
      const { id, versionId } = request.params as { id: string; versionId: string };
      return send(reply, options.fhirBase, await vreadInteraction(callOf(request), binding, id, versionId));
    });
  }
  if (allowed('history-instance')) {
    app.get(`/${type}/:id/_history`, route, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const count = optionalInteger(query._count, '_count', 1, MAX_HISTORY_PAGE);
      const cursor = optionalInteger(query._cursor, '_cursor', 1, 2 ** 31 - 1);
      return send(reply, options.fhirBase, await historyInteraction(callOf(request), binding, idOf(request), { count, cursor }));
    });
  }
  if (allowed('search-type')) {
    app.get(`/${type}`, route, async (request, reply) => send(reply, options.fhirBase, await searchInteraction(callOf(request), binding, queryOf(request))));
    // FHIR R4 search §3.1.1.1: POST [base]/[type]/_search with a form body; its parameters join the URL's.
    app.post(`/${type}/_search`, route, async (request, reply) => {
      if (request.body !== undefined && request.body !== null && !contentTypeIs(request, [FORM])) throw unsupportedMediaType([FORM]);
      return send(reply, options.fhirBase, await searchInteraction(callOf(request), binding, [...queryOf(request), ...formOf(request.body)]));
    });
  }
  if (allowed('create')) {
    app.post(`/${type}`, route, async (request, reply) => {
      requireJson(request);
      const ifNoneExist = header(request, 'if-none-exist');
      return send(reply, options.fhirBase, await createInteraction(callOf(request), binding, request.body, { ifNoneExist }));
    });
  }
  if (allowed('update')) {
    app.put(`/${type}/:id`, route, async (request, reply) => {
      requireJson(request);
      const ifMatch = parseIfMatch(header(request, 'if-match'));
      return send(reply, options.fhirBase, await updateInteraction(callOf(request), binding, idOf(request), request.body, ifMatch));
    });
  }
  if (allowed('patch')) {
    app.patch(`/${type}/:id`, route, async (request, reply) => {
      if (!contentTypeIs(request, [JSON_PATCH])) throw unsupportedMediaType([JSON_PATCH]);
      const ifMatch = parseIfMatch(header(request, 'if-match'));
      return send(reply, options.fhirBase, await patchInteraction(callOf(request), binding, idOf(request), request.body, ifMatch));
    });
  }
  if (allowed('delete')) {
    app.delete(`/${type}/:id`, route, async (request, reply) => {
      const ifMatch = parseIfMatch(header(request, 'if-match'));
      return send(reply, options.fhirBase, await deleteInteraction(callOf(request), binding, idOf(request), ifMatch));
    });
  }
}

/** The answer with its version headers (FHIR R4 http §3.1.0.1.2: ETag, Last-Modified, Location). */
export function send(reply: FastifyReply, fhirBase: string, answer: FhirAnswer) {
  void reply.code(answer.status);
  const { version } = answer;
  if (version !== undefined) {
    void reply.header('etag', etagOf(version.versionId)).header('last-modified', version.lastUpdated.toUTCString());
    if (answer.status === 201) void reply.header('location', `${fhirBase}/${version.resourceType}/${version.id}/_history/${version.versionId}`);
  }
  if (answer.body instanceof JsonText) return reply.type(`${FHIR_JSON}; charset=utf-8`).send(answer.body.text);
  return answer.body === undefined ? reply.send() : reply.send(answer.body);
}

/** The query string's parameters in order, repeated names kept (`date=ge2024&date=lt2025`). */
function queryOf(request: FastifyRequest): [string, string][] {
  const at = request.url.indexOf('?');
  return at < 0 ? [] : [...new URLSearchParams(request.url.slice(at + 1))];
}

function formOf(body: unknown): [string, string][] {
  if (body === undefined || body === null || body === '') return [];
  if (typeof body === 'string') return [...new URLSearchParams(body)];
  if (typeof body === 'object') {
    return Object.entries(body as Record<string, unknown>).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => [name, String(v)] as [string, string]));
  }
  return [];
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function contentTypeIs(request: FastifyRequest, types: readonly string[]): boolean {
  const contentType = (header(request, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return types.includes(contentType);
}

function requireJson(request: FastifyRequest) {
  if (!contentTypeIs(request, JSON_TYPES)) throw unsupportedMediaType(JSON_TYPES);
}

function optionalInteger(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw badRequest(`${name} must be a whole number from ${min} to ${max}.`, name);
  }
  return Number(value);
}
