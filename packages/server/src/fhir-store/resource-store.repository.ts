import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { SearchValues } from './search-index.ts';

export interface ResourceRow {
  patient_id: string;
  resource_type: string;
  id: string;
  version_id: number;
  last_updated: Date;
  deleted: boolean;
  content: Record<string, unknown>;
}

export interface VersionRow extends Omit<ResourceRow, 'content'> {
  content: Record<string, unknown> | null;
}

const RESOURCE_COLUMNS = ['r.patient_id', 'r.resource_type', 'r.id', 'r.version_id', 'r.last_updated', 'r.deleted', 'r.content'] as const;

/**
 * The current row of a resource, deleted or not. Without the patient, the routing table finds
 * the space, in the same query.
 */
export async function findCurrent(
  db: Kysely<Database>,
  key: { resourceType: string; id: string; patientId?: string | undefined },
): Promise<ResourceRow | undefined> {
  if (key.patientId !== undefined) {
    return db
      .selectFrom('fhir_resource as r')
      .select(RESOURCE_COLUMNS)
      .where('r.patient_id', '=', key.patientId)
      .where('r.resource_type', '=', key.resourceType)
      .where('r.id', '=', key.id)
      .executeTakeFirst();
  }
  return db
    .selectFrom('fhir_resource_route as t')
    .innerJoin('fhir_resource as r', (join) =>
      join.onRef('r.patient_id', '=', 't.patient_id').onRef('r.resource_type', '=', 't.resource_type').onRef('r.id', '=', 't.id'),
    )
    .select(RESOURCE_COLUMNS)
    .where('t.resource_type', '=', key.resourceType)
    .where('t.id', '=', key.id)
    .executeTakeFirst();
}

/** The current row, locked until the transaction ends: the version a change replaces. */
export async function lockCurrent(
  trx: Kysely<Database>,
  key: { patientId: string; resourceType: string; id: string },
): Promise<ResourceRow | undefined> {
  return trx
    .selectFrom('fhir_resource as r')
    .select(RESOURCE_COLUMNS)
    .where('r.patient_id', '=', key.patientId)
    .where('r.resource_type', '=', key.resourceType)
    .where('r.id', '=', key.id)
    .forUpdate()
    .executeTakeFirst();
}

export async function findVersion(
  db: Kysely<Database>,
  key: { patientId: string; resourceType: string; id: string; versionId: number },
): Promise<VersionRow | undefined> {
  return db
    .selectFrom('fhir_resource_version as r')
    .select(RESOURCE_COLUMNS)
    .where('r.patient_id', '=', key.patientId)
    .where('r.resource_type', '=', key.resourceType)
    .where('r.id', '=', key.id)
    .where('r.version_id', '=', key.versionId)
    .executeTakeFirst();
}

/** Versions newest first, those below `before` when given. */
export async function listVersions(
  db: Kysely<Database>,
  key: { patientId: string; resourceType: string; id: string },
  page: { limit: number; before?: number | undefined },
): Promise<VersionRow[]> {
  let query = db
    .selectFrom('fhir_resource_version as r')
    .select(RESOURCE_COLUMNS)
    .where('r.patient_id', '=', key.patientId)
    .where('r.resource_type', '=', key.resourceType)
    .where('r.id', '=', key.id);
  if (page.before !== undefined) query = query.where('r.version_id', '<', page.before);
  return query.orderBy('r.version_id', 'desc').limit(page.limit).execute();
}

/**
 * Writes a version in one statement: the current row (inserted or replaced), the version row, and
 * the search values (the previous ones removed). Data-modifying CTEs all see the snapshot taken
 * before the statement, so the deletions cannot remove the rows inserted beside them. Version 1
 * is a creation: it has no values to remove, and its route (type and id → space) is inserted in
 * the same statement, failing it if the id is taken.
 */
export async function writeVersion(
  trx: Kysely<Database>,
  version: {
    patientId: string;
    resourceType: string;
    id: string;
    versionId: number;
    lastUpdated: string;
    deleted: boolean;
    /** The content served as current: for a deletion, the last content before it. */
    content: Record<string, unknown>;
    search: SearchValues;
  },
): Promise<void> {
  const { patientId: p, resourceType: t, id, search } = version;
  const content = JSON.stringify(version.content);
  const json = (rows: unknown[]) => JSON.stringify(rows);
  const before =
    version.versionId === 1
      ? sql`route as (insert into fhir_resource_route (resource_type, id, patient_id) values (${t}, ${id}, ${p}))`
      : sql`old_tokens as (delete from fhir_search_token where patient_id = ${p} and resource_type = ${t} and resource_id = ${id}),
      old_strings as (delete from fhir_search_string where patient_id = ${p} and resource_type = ${t} and resource_id = ${id}),
      old_dates as (delete from fhir_search_date where patient_id = ${p} and resource_type = ${t} and resource_id = ${id}),
      old_references as (delete from fhir_search_reference where patient_id = ${p} and resource_type = ${t} and resource_id = ${id})`;
  await sql`
    with
      ${before},
      new_tokens as (
        insert into fhir_search_token (patient_id, resource_type, resource_id, param, system, code)
        select ${p}::uuid, ${t}::text, ${id}::text, x.param, x.system, x.code
        from jsonb_to_recordset(${json(search.tokens)}::jsonb) as x(param text, system text, code text)),
      new_strings as (
        insert into fhir_search_string (patient_id, resource_type, resource_id, param, value, normalized)
        select ${p}::uuid, ${t}::text, ${id}::text, x.param, x.value, x.normalized
        from jsonb_to_recordset(${json(search.strings)}::jsonb) as x(param text, value text, normalized text)),
      new_dates as (
        insert into fhir_search_date (patient_id, resource_type, resource_id, param, lo, hi)
        select ${p}::uuid, ${t}::text, ${id}::text, x.param, x.lo, x.hi
        from jsonb_to_recordset(${json(search.dates)}::jsonb) as x(param text, lo timestamptz, hi timestamptz)),
      new_references as (
        insert into fhir_search_reference (patient_id, resource_type, resource_id, param, target_type, target_id)
        select ${p}::uuid, ${t}::text, ${id}::text, x.param, x."targetType", x."targetId"
        from jsonb_to_recordset(${json(search.references)}::jsonb) as x(param text, "targetType" text, "targetId" text)),
      new_version as (
        insert into fhir_resource_version (patient_id, resource_type, id, version_id, last_updated, deleted, content)
        values (${p}, ${t}, ${id}, ${version.versionId}, ${version.lastUpdated}, ${version.deleted},
                ${version.deleted ? null : content}::jsonb))
    insert into fhir_resource (patient_id, resource_type, id, version_id, last_updated, deleted, content)
    values (${p}, ${t}, ${id}, ${version.versionId}, ${version.lastUpdated}, ${version.deleted}, ${content}::jsonb)
    on conflict (patient_id, resource_type, id) do update set
      version_id = excluded.version_id, last_updated = excluded.last_updated, deleted = excluded.deleted, content = excluded.content
  `.execute(trx);
}
