import { type Expression, type SqlBool, sql } from 'kysely';
import type { SearchRestriction, TokenCode } from '../fhir-store/search-restriction.ts';
import { ID_NAT_PS_SYSTEM, PATIENT_FILER_SYSTEM } from '../policy/record-facts.ts';

/**
 * The policy's search restriction (fhir-store/search-restriction.ts) as a condition on the
 * patient's view of their documents, so that the app's list, its counts and its pages follow the
 * same rule as a FHIR search. The search parameters map to the view's columns: `type` type_code,
 * `category` class_code, `security-label` confidentiality, `filer` filer_kind and filer_id,
 * `status` status. A parameter the view does not hold matches nothing: never more than allowed.
 */
export function restrictionSql(restriction: SearchRestriction, table = 'patient_document'): Expression<SqlBool> {
  const column = (name: string) => sql.ref(`${table}.${name}`);
  switch (restriction.kind) {
    case 'everything':
      return sql<SqlBool>`true`;
    case 'nothing':
      return sql<SqlBool>`false`;
    case 'all-of':
      return restriction.restrictions.length === 0
        ? sql<SqlBool>`true`
        : sql<SqlBool>`(${sql.join(restriction.restrictions.map((r) => restrictionSql(r, table)), sql` and `)})`;
    case 'any-of':
      return restriction.restrictions.length === 0
        ? sql<SqlBool>`false`
        : sql<SqlBool>`(${sql.join(restriction.restrictions.map((r) => restrictionSql(r, table)), sql` or `)})`;
    case 'token': {
      const matches = tokenSql(restriction.param, restriction.codes, column);
      return restriction.negate === true ? sql<SqlBool>`not ${matches}` : matches;
    }
  }
}

function tokenSql(param: string, codes: readonly TokenCode[], column: (name: string) => ReturnType<typeof sql.ref>): Expression<SqlBool> {
  if (codes.length === 0) return sql<SqlBool>`false`;
  const values = (list: readonly string[]) => sql.join(list.map((v) => sql`${v}`));
  const plain = codes.map((c) => c.code);
  switch (param) {
    case 'type':
      return sql<SqlBool>`(${column('type_code')} in (${values(plain)}))`;
    case 'category':
      return sql<SqlBool>`(coalesce(${column('class_code')} in (${values(plain)}), false))`;
    case 'status':
      return sql<SqlBool>`(${column('status')} in (${values(plain)}))`;
    case 'security-label':
      return sql<SqlBool>`(${column('confidentiality')} && array[${values(plain)}]::text[])`;
    case 'filer': {
      const professionals = codes
        .filter((c) => (c.system === undefined || c.system === ID_NAT_PS_SYSTEM) && c.code.startsWith('8'))
        .map((c) => c.code.slice(1));
      const patients = codes.filter((c) => c.system === undefined || c.system === PATIENT_FILER_SYSTEM).map((c) => c.code);
      const byKind = (kind: string, ids: string[]) =>
        ids.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${column('filer_kind')} = ${kind} and ${column('filer_id')} in (${values(ids)}))`;
      return sql<SqlBool>`(${byKind('professional', professionals)} or ${byKind('patient', patients)})`;
    }
    default:
      return sql<SqlBool>`false`;
  }
}
