import type { Bundle, Resource } from '@medplum/fhirtypes';
import { badRequest, CarnetError } from '../errors.ts';
import { searchsetBundleText, searchUrl } from '../fhir/bundle.ts';
import type { AccessContext } from '../patients/patient-access.ts';
import { invalidResource, resourceGone, resourceNotFound } from './fhir-store.errors.ts';
import { applyJsonPatch } from './json-patch.ts';
import type { ResourceChange, StoredTypeBinding } from './resource-access.ts';
import type { JsonText } from '../fhir/json-text.ts';
import { includeTargetTypes, searchResources } from './resource-search.service.ts';
import {
  conditionalCreate,
  createResource,
  deleteResource,
  findResource,
  readVersion,
  resourceHistory,
  type StoredResource,
  updateResource,
} from './resource-store.service.ts';
import { searchValuesOf } from './search-index.ts';
import { type SearchRequest, parseSearchRequest } from './search-request.ts';
import type { SearchRestriction } from './search-restriction.ts';
import { validateForStorage } from './validation.ts';

/**
 * The FHIR REST interactions on stored types, framework-free: the HTTP routes and the entries of
 * transaction and batch Bundles both call these. Each asks the type's access hook before it reads
 * or writes anything.
 */
export interface FhirCall {
  context: AccessContext;
  fhirBase: string;
  /** Every stored type served under /fhir/R4 (for `_include`). */
  bindings: ReadonlyMap<string, StoredTypeBinding>;
}

/** What an interaction answers: a status, a body, and the version it is about (ETag, Location). */
export interface FhirAnswer {
  status: number;
  /** A search's Bundle comes already serialised (resource-json.ts). */
  body?: Resource | Bundle | JsonText;
  version?: { resourceType: string; id: string; versionId: number; lastUpdated: Date };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const versionOf = (stored: StoredResource) => ({
  resourceType: stored.resourceType,
  id: stored.id,
  versionId: stored.versionId,
  lastUpdated: stored.lastUpdated,
});
const answerOf = (status: number, stored: StoredResource): FhirAnswer => ({ status, body: stored.resource, version: versionOf(stored) });

async function findOrNotFound(call: FhirCall, binding: StoredTypeBinding, id: string): Promise<StoredResource> {
  const stored = await findResource(call.context.db, { resourceType: binding.resourceType, id });
  if (stored === undefined) throw resourceNotFound(binding.resourceType, id);
  return stored;
}

export async function readInteraction(call: FhirCall, binding: StoredTypeBinding, id: string): Promise<FhirAnswer> {
  const stored = await findOrNotFound(call, binding, id);
  await binding.access.read(call.context, stored, 'read');
  if (stored.deleted) throw resourceGone(binding.resourceType, id);
  return answerOf(200, stored);
}

export async function vreadInteraction(call: FhirCall, binding: StoredTypeBinding, id: string, versionId: string): Promise<FhirAnswer> {
  const stored = await findOrNotFound(call, binding, id);
  await binding.access.read(call.context, stored, 'vread');
  const version = await readVersion(call.context.db, { resourceType: binding.resourceType, id, patientId: stored.patientId }, /^\d{1,9}$/.test(versionId) ? Number(versionId) : 0);
  return { status: 200, body: version.resource, version: versionOf({ ...stored, ...version }) };
}

/** The versions of a resource, newest first (FHIR R4 http §3.1.0.9 history), paged by `_cursor`. */
export async function historyInteraction(
  call: FhirCall,
  binding: StoredTypeBinding,
  id: string,
  query: { count?: number | undefined; cursor?: number | undefined },
): Promise<FhirAnswer> {
  const stored = await findOrNotFound(call, binding, id);
  await binding.access.read(call.context, stored, 'history');
  const count = query.count ?? 20;
  const page = await resourceHistory(call.context.db, { resourceType: binding.resourceType, id, patientId: stored.patientId }, { count, before: query.cursor });
  const url = `${call.fhirBase}/${binding.resourceType}/${id}`;
  const link = (cursor: number | undefined) => `${url}/_history?${new URLSearchParams({ _count: String(count), ...(cursor === undefined ? {} : { _cursor: String(cursor) }) })}`;
  const body: Bundle = {
    resourceType: 'Bundle',
    type: 'history',
    link: [{ relation: 'self', url: link(query.cursor) }, ...(page.nextBefore === undefined ? [] : [{ relation: 'next', url: link(page.nextBefore) }])],
    entry: page.versions.map((v) => ({
      fullUrl: url,
      ...(v.resource === undefined ? {} : { resource: v.resource }),
      request: { method: v.deleted ? 'DELETE' : v.versionId === 1 ? 'POST' : 'PUT', url: v.versionId === 1 ? binding.resourceType : `${binding.resourceType}/${id}` },
      response: { status: v.deleted ? '204' : v.versionId === 1 ? '201' : '200', etag: etagOf(v.versionId), lastModified: v.lastUpdated.toISOString() },
    })),
  };
  return { status: 200, body };
}

/** A search in one patient's space, under the caller's restriction (FHIR R4 search). */
export async function searchInteraction(call: FhirCall, binding: StoredTypeBinding, query: readonly [string, string][]): Promise<FhirAnswer> {
  const request = parseSearchRequest(binding.resourceType, query);
  const patientId = patientOfSearch(call.context, request);
  const restriction = await binding.access.search(call.context, patientId);
  const includes: Record<string, SearchRestriction> = {};
  for (const type of new Set(request.include.flatMap(includeTargetTypes))) {
    const target = call.bindings.get(type);
    if (target !== undefined && target.interactions.has('read')) includes[type] = await target.access.search(call.context, patientId);
  }
  const result = await searchResources(call.context.db, { patientId, restriction, includes }, request);
  const kept = query.filter(([name]) => name !== '_cursor');
  const self = searchUrl(call.fhirBase, binding.resourceType, query);
  const next = result.nextCursor === undefined ? undefined : searchUrl(call.fhirBase, binding.resourceType, [...kept, ['_cursor', result.nextCursor]]);
  return { status: 200, body: searchsetBundleText(call.fhirBase, result.resources, { self, next }, result.total, result.included) };
}

/** Create, or conditional create with If-None-Exist (FHIR R4 http §3.1.0.8). */
export async function createInteraction(
  call: FhirCall,
  binding: StoredTypeBinding,
  body: unknown,
  options: { ifNoneExist?: string | undefined; id?: string | undefined } = {},
): Promise<FhirAnswer> {
  const resource = resourceOfType(body, binding.resourceType);
  const patientId = patientOfNewResource(call.context, binding, resource);
  validateForStorage(resource, patientId);
  const change: ResourceChange = { kind: 'create', patientId, resource };
  if (options.ifNoneExist !== undefined) {
    const restriction = await binding.access.search(call.context, patientId);
    const condition = options.ifNoneExist;
    const { created, stored } = await binding.access.write(call.context, change, (trx) => conditionalCreate(trx, { patientId, restriction }, resource, condition));
    return answerOf(created ? 201 : 200, stored);
  }
  const stored = await binding.access.write(call.context, change, (trx) =>
    createResource(trx, patientId, resource, options.id === undefined ? {} : { id: options.id }),
  );
  return answerOf(201, stored);
}

/** Update (FHIR R4 http §3.1.0.4): the resource must exist; If-Match guards against lost updates. */
export async function updateInteraction(
  call: FhirCall,
  binding: StoredTypeBinding,
  id: string,
  body: unknown,
  ifMatch: number | undefined,
): Promise<FhirAnswer> {
  const resource = resourceOfType(body, binding.resourceType);
  if (resource.id !== id) throw invalidResource(`The resource's id must be the id of the URL (${id}).`, `${binding.resourceType}.id`);
  const current = await findOrNotFound(call, binding, id);
  return replace(call, binding, { kind: 'update', patientId: current.patientId, current, resource }, ifMatch);
}

/** JSON Patch (FHIR R4 http §3.1.0.6, RFC 6902), validated like an update. */
export async function patchInteraction(
  call: FhirCall,
  binding: StoredTypeBinding,
  id: string,
  patch: unknown,
  ifMatch: number | undefined,
): Promise<FhirAnswer> {
  const current = await findOrNotFound(call, binding, id);
  const resource = applyJsonPatch(current.resource, patch);
  return replace(call, binding, { kind: 'patch', patientId: current.patientId, current, resource }, ifMatch);
}

async function replace(
  call: FhirCall,
  binding: StoredTypeBinding,
  change: Extract<ResourceChange, { kind: 'update' | 'patch' }>,
  ifMatch: number | undefined,
): Promise<FhirAnswer> {
  const key = { resourceType: binding.resourceType, id: change.current.id, patientId: change.patientId };
  const stored = await binding.access.write(call.context, change, (trx) =>
    concurrently(ifMatch, () => updateResource(trx, key, change.resource, { expectedVersion: ifMatch ?? change.current.versionId })),
  );
  return answerOf(200, stored);
}

export async function deleteInteraction(call: FhirCall, binding: StoredTypeBinding, id: string, ifMatch: number | undefined): Promise<FhirAnswer> {
  const current = await findOrNotFound(call, binding, id);
  const key = { resourceType: binding.resourceType, id, patientId: current.patientId };
  const deleted = await binding.access.write(call.context, { kind: 'delete', patientId: current.patientId, current }, (trx) =>
    deleteResource(trx, key, { expectedVersion: ifMatch }),
  );
  return { status: 204, version: versionOf(deleted) };
}

/**
 * Without If-Match, the version replaced is the one the access hook decided on: a change made in
 * between is a conflict to retry (409), not a precondition the client set (412).
 */
async function concurrently<T>(ifMatch: number | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (ifMatch === undefined && error instanceof CarnetError && error.code === 'version_conflict') {
      throw new CarnetError('conflict', 409, 'The resource changed while this request was served; send it again.');
    }
    throw error;
  }
}

export const etagOf = (versionId: number) => `W/"${versionId}"`;

/** If-Match: `W/"<versionId>"` (FHIR R4 http §3.1.0.4.2); a strong tag is accepted too. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(value.trim());
  if (match === null) throw badRequest('If-Match must be the ETag of a version: W/"<versionId>".', 'If-Match');
  return Number(match[1]);
}

function resourceOfType(body: unknown, resourceType: string): Resource {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidResource(`The body must be a ${resourceType} resource.`, '$this');
  }
  if ((body as { resourceType?: unknown }).resourceType !== resourceType) {
    throw invalidResource(`The body must be a ${resourceType}, as the URL says.`, 'resourceType');
  }
  return body as Resource;
}

/**
 * The space a search looks in: the patient its `patient` (or `subject`) parameter names, else the
 * caller's own space when the caller is a patient. A search spans one space.
 */
export function patientOfSearch(context: AccessContext, request: SearchRequest): string {
  const named = request.filters.flatMap((filter) => {
    if (filter.kind !== 'reference' || (filter.param.code !== 'patient' && filter.param.code !== 'subject')) return [];
    return filter.values.filter((v) => v.targetType === 'Patient' || (v.targetType === undefined && filter.param.code === 'patient'));
  });
  const ids = new Set(named.map((v) => v.targetId.toLowerCase()));
  if (ids.size > 1) throw badRequest('A search looks in one patient\'s space at a time: name one patient.', 'patient');
  const [id] = ids;
  if (id !== undefined) {
    if (!UUID.test(id)) throw resourceNotFound('Patient', id);
    return id;
  }
  if (context.actor.kind === 'patient') return context.actor.patientId;
  throw badRequest(`Name the patient whose space to search: patient=Patient/<id>.`, 'patient');
}

/** The space a new resource goes to: the patient it names, else the hook's choice, else the caller's own. */
function patientOfNewResource(context: AccessContext, binding: StoredTypeBinding, resource: Resource): string {
  const named = new Set(
    searchValuesOf(resource)
      .references.filter((r) => (r.param === 'patient' || r.param === 'subject') && r.targetType === 'Patient')
      .map((r) => r.targetId.toLowerCase()),
  );
  if (named.size > 1) throw invalidResource('The resource names several patients; a resource belongs to one space.', resource.resourceType);
  const [id] = named;
  if (id !== undefined) {
    if (!UUID.test(id)) throw resourceNotFound('Patient', id);
    return id;
  }
  const chosen = binding.access.compartment?.(context, resource);
  if (chosen !== undefined) return chosen;
  if (context.actor.kind === 'patient') return context.actor.patientId;
  throw invalidResource(`The ${resource.resourceType} must name its patient (subject).`, `${resource.resourceType}.subject`);
}
