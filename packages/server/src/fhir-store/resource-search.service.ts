import type { Resource } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { isStoredType, searchParamsOf } from './definitions.ts';
import { invalidSearch } from './fhir-store.errors.ts';
import type { ResourceJson } from './resource-json.ts';
import * as repository from './resource-search.repository.ts';
import type { Filter, IncludeTarget, SearchRequest } from './search-request.ts';
import type { SearchRestriction } from './search-restriction.ts';
import { type SortExpression, sortExpressions } from './search-sql.ts';

/**
 * Where a search looks and what it may find: one patient's space, and the caller's restriction,
 * applied inside the query so that neither results, pages nor totals reveal a hidden resource.
 */
export interface SearchScope {
  patientId: string;
  restriction: SearchRestriction;
  /**
   * What `_include` may bring in, by resource type, under the caller's restriction for that type.
   * A type not listed is never included.
   */
  includes?: Readonly<Record<string, SearchRestriction>>;
}

export interface SearchResult {
  /** The page of matches, in the requested order, as the store's JSON text. */
  resources: ResourceJson[];
  /** Resources brought in by `_include`, each once, none of them also a match. */
  included: ResourceJson[];
  /** When asked for (`_total`, `_summary=count`). */
  total?: number;
  /** The position after this page, when there are more matches: the next page's `_cursor`. */
  nextCursor?: string;
}

/** Matches of a search, a page at a time, newest first unless `_sort` says otherwise. */
export async function searchResources(db: Kysely<Database>, scope: SearchScope, request: SearchRequest): Promise<SearchResult> {
  const where = { patientId: scope.patientId, resourceType: request.resourceType, filters: request.filters, restriction: scope.restriction };
  const total = request.total ? await repository.countMatches(db, where) : undefined;
  if (request.count === 0) return { resources: [], included: [], ...(total === undefined ? {} : { total }) };
  const sort = request.sort.length > 0 ? request.sort : [{ param: searchParamsOf(request.resourceType).get('_lastUpdated')!, descending: true }];
  const keys = sortExpressions(sort);
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor, keys);
  const rows = await repository.findMatches(db, where, { keys, after, limit: request.count + 1 });
  const page = rows.slice(0, request.count);
  const last = page.at(-1);
  const resources = page.map((row) => row.resource);
  const included = last === undefined ? [] : await findIncluded(db, scope, request, resources);
  return {
    resources,
    included,
    ...(total === undefined ? {} : { total }),
    ...(rows.length > request.count && last !== undefined ? { nextCursor: encodeCursor(last.keys) } : {}),
  };
}

/** The matches of filters within a space, at most `limit` (for If-None-Exist). */
export async function findMatching(
  db: Kysely<Database>,
  scope: { patientId: string; restriction: SearchRestriction },
  resourceType: string,
  filters: Filter[],
  limit: number,
): Promise<Resource[]> {
  const keys = sortExpressions([]);
  const rows = await repository.findMatches(
    db,
    { patientId: scope.patientId, resourceType, filters, restriction: scope.restriction },
    { keys, after: undefined, limit },
  );
  return rows.map((row) => row.resource.parse());
}

/** The resource types an `_include` may bring in. */
export function includeTargetTypes(include: IncludeTarget): string[] {
  const types = include.targetType !== undefined ? [include.targetType] : include.param.targets;
  return types.filter(isStoredType);
}

async function findIncluded(db: Kysely<Database>, scope: SearchScope, request: SearchRequest, page: ResourceJson[]): Promise<ResourceJson[]> {
  if (request.include.length === 0) return [];
  const restrictions = Object.entries(scope.includes ?? {}).filter(([type]) => isStoredType(type));
  if (restrictions.length === 0) return [];
  const found = await repository.findIncluded(db, {
    patientId: scope.patientId,
    resourceType: request.resourceType,
    ids: page.map((r) => r.id),
    include: request.include.map((i) => ({ param: i.param.code, targetTypes: includeTargetTypes(i) })),
    restrictions,
  });
  const inPage = new Set(page.map((r) => `${r.resourceType}/${r.id}`));
  return found.filter((r) => !inPage.has(`${r.resourceType}/${r.id}`));
}

// Keyset cursors: the sort values of the last row of a page, as PostgreSQL printed them. Opaque to
// clients; checked when read back, since a client may send anything.
const TIMESTAMP_TEXT = /^(?:-?infinity|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:[+-]\d{2}(?::\d{2}){0,2})?)$/;

function encodeCursor(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(cursor: string, keys: readonly SortExpression[]): string[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  const valid =
    Array.isArray(values) &&
    values.length === keys.length &&
    values.every((v, i) => typeof v === 'string' && v.length <= 100 && (keys[i]!.type !== 'timestamptz' || TIMESTAMP_TEXT.test(v)));
  if (!valid) throw invalidSearch('_cursor is not a position this server gave for this sort order; follow the next link of a search.', '_cursor');
  return values as string[];
}
