import { randomUUID } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { multipleMatches, resourceGone, resourceNotFound, versionConflict } from './fhir-store.errors.ts';
import { applyJsonPatch } from './json-patch.ts';
import * as repository from './resource-store.repository.ts';
import { findMatching } from './resource-search.service.ts';
import { searchValuesOf } from './search-index.ts';
import { parseCondition } from './search-request.ts';
import type { SearchRestriction } from './search-restriction.ts';
import { validateForStorage } from './validation.ts';

/** A resource as the store holds it, with the space it belongs to. */
export interface StoredResource<T extends Resource = Resource> {
  patientId: string;
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: Date;
  deleted: boolean;
  /** As served, meta.versionId and meta.lastUpdated included; for a deleted resource, its last content. */
  resource: T;
}

/** One version in a resource's history; a deletion has no content. */
export interface ResourceVersion<T extends Resource = Resource> {
  patientId: string;
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: Date;
  deleted: boolean;
  resource: T | undefined;
}

export interface ResourceKey {
  resourceType: string;
  id: string;
  /** The space, when the caller knows it; otherwise the routing table finds it. */
  patientId?: string;
}

export const MAX_HISTORY_PAGE = 100;

/** FHIR R4 id datatype; ids the server assigns are UUIDs. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

const storedOf = <T extends Resource>(row: repository.ResourceRow): StoredResource<T> => ({
  patientId: row.patient_id,
  resourceType: row.resource_type,
  id: row.id,
  versionId: row.version_id,
  lastUpdated: row.last_updated,
  deleted: row.deleted,
  resource: row.content as unknown as T,
});

/** The current version, deleted or not, or undefined when there never was such a resource. */
export async function findResource<T extends Resource = Resource>(db: Kysely<Database>, key: ResourceKey): Promise<StoredResource<T> | undefined> {
  if (!FHIR_ID.test(key.id)) return undefined;
  const row = await repository.findCurrent(db, key);
  return row === undefined ? undefined : storedOf<T>(row);
}

/** The current version: 404 when there is none, 410 when it was deleted. */
export async function readResource<T extends Resource = Resource>(db: Kysely<Database>, key: ResourceKey): Promise<StoredResource<T>> {
  const stored = await findResource<T>(db, key);
  if (stored === undefined) throw resourceNotFound(key.resourceType, key.id);
  if (stored.deleted) throw resourceGone(key.resourceType, key.id);
  return stored;
}

/** One version (vread): 404 when there is none, 410 when it is a deletion. */
export async function readVersion<T extends Resource = Resource>(
  db: Kysely<Database>,
  key: ResourceKey & { patientId: string },
  versionId: number,
): Promise<ResourceVersion<T> & { resource: T }> {
  const row = Number.isSafeInteger(versionId) && versionId > 0 ? await repository.findVersion(db, { ...key, versionId }) : undefined;
  if (row === undefined) throw resourceNotFound(key.resourceType, `${key.id}/_history/${versionId}`);
  if (row.deleted || row.content === null) throw resourceGone(key.resourceType, `${key.id}/_history/${versionId}`);
  return { ...versionOf<T>(row), resource: row.content as unknown as T };
}

/** Versions newest first, a page at a time: `before` is the `nextBefore` of the previous page. */
export async function resourceHistory<T extends Resource = Resource>(
  db: Kysely<Database>,
  key: ResourceKey & { patientId: string },
  page: { count: number; before?: number | undefined },
): Promise<{ versions: ResourceVersion<T>[]; nextBefore?: number }> {
  const count = Math.min(Math.max(1, page.count), MAX_HISTORY_PAGE);
  const rows = await repository.listVersions(db, key, { limit: count + 1, before: page.before });
  const versions = rows.slice(0, count).map((row) => versionOf<T>(row));
  const last = versions.at(-1);
  return rows.length > count && last !== undefined ? { versions, nextBefore: last.versionId } : { versions };
}

const versionOf = <T extends Resource>(row: repository.VersionRow): ResourceVersion<T> => ({
  patientId: row.patient_id,
  resourceType: row.resource_type,
  id: row.id,
  versionId: row.version_id,
  lastUpdated: row.last_updated,
  deleted: row.deleted,
  resource: row.content === null ? undefined : (row.content as unknown as T),
});

/**
 * Stores a new resource in a patient's space, as version 1 under a server-assigned id (or `id`,
 * assigned beforehand by a transaction that rewrites references to it). Validated first; the
 * resource, its route, its version and its search values are written in one statement, atomic on
 * its own or in the caller's transaction.
 */
export async function createResource<T extends Resource>(
  db: Kysely<Database>,
  patientId: string,
  resource: T,
  options: { id?: string } = {},
): Promise<StoredResource<T>> {
  const id = options.id ?? randomUUID();
  const prepared = withServerMeta(resource, id, 1, new Date());
  validateForStorage(prepared, patientId);
  return writeVersion(db, patientId, prepared, false);
}

/**
 * Replaces a resource with a new version. With `expectedVersion` (If-Match), a resource changed
 * since is refused (412). A resource keeps its space: the new content may not name another patient.
 */
export function updateResource<T extends Resource>(
  db: Kysely<Database>,
  key: ResourceKey,
  resource: T,
  options: { expectedVersion?: number | undefined } = {},
): Promise<StoredResource<T>> {
  return nextVersion(db, key, options, () => resource);
}

/** Applies a JSON Patch (RFC 6902) to the current version and stores the result as the next one. */
export function patchResource<T extends Resource = Resource>(
  db: Kysely<Database>,
  key: ResourceKey,
  patch: unknown,
  options: { expectedVersion?: number | undefined } = {},
): Promise<StoredResource<T>> {
  return nextVersion(db, key, options, (current) => applyJsonPatch(current as unknown as T, patch));
}

/** The next version of a live resource, made from the current content, validated and written. */
function nextVersion<T extends Resource>(
  db: Kysely<Database>,
  key: ResourceKey,
  options: { expectedVersion?: number | undefined },
  make: (current: repository.ResourceRow['content']) => T,
): Promise<StoredResource<T>> {
  return inTransaction(db, async (trx) => {
    const current = await lockLive(trx, key, options.expectedVersion);
    const prepared = withServerMeta(make(current.content), current.id, current.version_id + 1, new Date());
    validateForStorage(prepared, current.patient_id);
    return writeVersion(trx, current.patient_id, prepared, false);
  });
}

/**
 * Deletes a resource: a new version marks it deleted, its search values go, its history stays.
 * Deleting a deleted resource changes nothing (FHIR R4 http §3.1.0.7.1).
 */
export async function deleteResource(
  db: Kysely<Database>,
  key: ResourceKey,
  options: { expectedVersion?: number | undefined } = {},
): Promise<StoredResource> {
  return inTransaction(db, async (trx) => {
    const current = await lockCurrent(trx, key);
    if (current.deleted) return storedOf(current);
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version_id) {
      throw versionConflict(options.expectedVersion, current.version_id);
    }
    const versionId = current.version_id + 1;
    const lastUpdated = new Date();
    await repository.writeVersion(trx, {
      patientId: current.patient_id,
      resourceType: current.resource_type,
      id: current.id,
      versionId,
      lastUpdated: lastUpdated.toISOString(),
      deleted: true,
      content: current.content,
      search: { tokens: [], strings: [], dates: [], references: [] },
    });
    return { ...storedOf(current), versionId, lastUpdated, deleted: true };
  });
}

/**
 * Conditional create (FHIR R4 http §3.1.0.8.1, If-None-Exist): the condition is searched in the
 * same space, under the caller's restriction (a resource the caller may not see is not revealed
 * by the answer). No match: the resource is created; one: it is returned unchanged; more: 412.
 * Conditional creates of a type in a space are serialised, so that two at once cannot both create.
 */
export async function conditionalCreate<T extends Resource>(
  db: Kysely<Database>,
  scope: { patientId: string; restriction: SearchRestriction },
  resource: T,
  ifNoneExist: string,
): Promise<{ created: boolean; stored: StoredResource<T> }> {
  const filters = parseCondition(resource.resourceType, ifNoneExist);
  return inTransaction(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`fhir-create:${scope.patientId}:${resource.resourceType}`}))`.execute(trx);
    const found = await findMatching(trx, scope, resource.resourceType, filters, 2);
    if (found.length > 1) throw multipleMatches(found.length);
    const existing = found[0];
    if (existing !== undefined) {
      const stored = await readResource<T>(trx, { resourceType: existing.resourceType, id: existing.id!, patientId: scope.patientId });
      return { created: false, stored };
    }
    return { created: true, stored: await createResource(trx, scope.patientId, resource) };
  });
}

async function lockCurrent(trx: Kysely<Database>, key: ResourceKey): Promise<repository.ResourceRow> {
  const patientId = key.patientId ?? (await findResource(trx, key))?.patientId;
  const current = patientId === undefined ? undefined : await repository.lockCurrent(trx, { ...key, patientId });
  if (current === undefined) throw resourceNotFound(key.resourceType, key.id);
  return current;
}

/** The current version, locked, live and at the expected version. */
async function lockLive(trx: Kysely<Database>, key: ResourceKey, expectedVersion: number | undefined): Promise<repository.ResourceRow> {
  const current = await lockCurrent(trx, key);
  // FHIR R4 http §3.1.0.4: no update-as-create here; a deleted resource stays deleted.
  if (current.deleted) throw resourceGone(key.resourceType, key.id);
  if (expectedVersion !== undefined && expectedVersion !== current.version_id) throw versionConflict(expectedVersion, current.version_id);
  return current;
}

/** The resource with the server's id and meta; the client's versionId and lastUpdated are not kept. */
function withServerMeta<T extends Resource>(resource: T, id: string, versionId: number, lastUpdated: Date): T {
  const { resourceType, id: _id, meta, ...rest } = resource;
  const { versionId: _v, lastUpdated: _l, ...keptMeta } = meta ?? {};
  return { resourceType, id, meta: { ...keptMeta, versionId: String(versionId), lastUpdated: lastUpdated.toISOString() }, ...rest } as T;
}

async function writeVersion<T extends Resource>(trx: Kysely<Database>, patientId: string, resource: T, deleted: boolean): Promise<StoredResource<T>> {
  const { versionId, lastUpdated } = resource.meta as { versionId: string; lastUpdated: string };
  await repository.writeVersion(trx, {
    patientId,
    resourceType: resource.resourceType,
    id: resource.id!,
    versionId: Number(versionId),
    lastUpdated,
    deleted,
    content: resource as unknown as Record<string, unknown>,
    search: searchValuesOf(resource),
  });
  return {
    patientId,
    resourceType: resource.resourceType,
    id: resource.id!,
    versionId: Number(versionId),
    lastUpdated: new Date(lastUpdated),
    deleted,
    resource,
  };
}

/** Runs `work` in the caller's transaction, or in one of its own. */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
