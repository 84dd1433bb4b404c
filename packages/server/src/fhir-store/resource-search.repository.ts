import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { ResourceJson } from './resource-json.ts';
import type { Filter } from './search-request.ts';
import type { SearchRestriction } from './search-restriction.ts';
import { afterCursor, filterCondition, orderBy, restrictionCondition, type SortExpression } from './search-sql.ts';

interface Where {
  patientId: string;
  resourceType: string;
  filters: readonly Filter[];
  restriction: SearchRestriction;
}

/** The rows a search may see: the space, the type, live versions, the filters and the restriction. */
function matches(where: Where): RawBuilder<unknown> {
  return sql.join(
    [
      sql`r.patient_id = ${where.patientId}`,
      sql`r.resource_type = ${where.resourceType}`,
      sql`not r.deleted`,
      ...where.filters.map(filterCondition),
      restrictionCondition(where.resourceType, where.restriction),
    ],
    sql` and `,
  );
}

export async function countMatches(db: Kysely<Database>, where: Where): Promise<number> {
  const { rows } = await sql<{ total: string }>`select count(*) as total from fhir_resource r where ${matches(where)}`.execute(db);
  return Number(rows[0]!.total);
}

/** A page of matches with their sort values (as text, for the next cursor). */
export async function findMatches(
  db: Kysely<Database>,
  where: Where,
  page: { keys: readonly SortExpression[]; after: readonly string[] | undefined; limit: number },
): Promise<{ resource: ResourceJson; keys: string[] }[]> {
  const keyColumns = sql.join(page.keys.map((key, i) => sql`(${key.value})::text as ${sql.ref(`k${i}`)}`));
  const cursor = page.after === undefined ? sql`true` : afterCursor(page.keys, page.after);
  const { rows } = await sql<Record<string, unknown>>`
    select r.id, r.content::text as content, ${keyColumns}
    from fhir_resource r
    where ${matches(where)} and ${cursor}
    order by ${orderBy(page.keys)}
    limit ${page.limit}
  `.execute(db);
  return rows.map((row) => ({
    resource: new ResourceJson(where.resourceType, row.id as string, row.content as string),
    keys: page.keys.map((_, i) => row[`k${i}`] as string),
  }));
}

/**
 * The live resources that the page's resources reference through the included parameters, each
 * under the caller's restriction for its type (FHIR R4 search §3.1.1.5.4 _include).
 */
export async function findIncluded(
  db: Kysely<Database>,
  query: {
    patientId: string;
    resourceType: string;
    ids: readonly string[];
    include: readonly { param: string; targetTypes: readonly string[] }[];
    restrictions: readonly [string, SearchRestriction][];
  },
): Promise<ResourceJson[]> {
  const referenced = sql.join(
    query.include.map(
      (include) => sql`exists (select 1 from fhir_search_reference x
        where x.patient_id = r.patient_id and x.resource_type = ${query.resourceType}
          and x.resource_id = any(${[...query.ids]}::text[]) and x.param = ${include.param}
          and x.target_type = r.resource_type and x.target_id = r.id
          and x.target_type = any(${[...include.targetTypes]}::text[]))`,
    ),
    sql` or `,
  );
  const visible = sql.join(
    query.restrictions.map(([type, restriction]) => sql`(r.resource_type = ${type} and ${restrictionCondition(type, restriction)})`),
    sql` or `,
  );
  const { rows } = await sql<{ resource_type: string; id: string; content: string }>`
    select r.resource_type, r.id, r.content::text as content from fhir_resource r
    where r.patient_id = ${query.patientId} and not r.deleted and (${referenced}) and (${visible})
    order by r.resource_type, r.id
  `.execute(db);
  return rows.map((row) => new ResourceJson(row.resource_type, row.id, row.content));
}
