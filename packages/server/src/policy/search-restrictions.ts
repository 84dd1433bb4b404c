import { MASKED_FROM_PROFESSIONALS } from '../codes/confidentiality.ts';
import { DOCUMENT_TYPES } from '../codes/document-types.ts';
import { everything, nothing, type SearchRestriction } from '../fhir-store/search-restriction.ts';
import type { MatrixRow } from './access-matrix.ts';
import type { Filer } from './record-facts.ts';

/**
 * The search restrictions of the document rules: the same rules as a single document's decision
 * (policy.ts), written as conditions on the search parameters `type`, `category`, `security-label`
 * and `filer`, so that the store applies them inside the query and counts and pages never reveal a
 * hidden document. `policy.test.ts` checks that a document matches the restriction exactly when
 * reading it would be permitted.
 */
export function documentSearchRestriction(given: {
  filer: Filer;
  /** A consent declaration or an emergency access is in force. */
  reading: boolean;
  /** The treating doctor or an administrator. */
  fullAccess: boolean;
  matrix: MatrixRow | null;
  showMasked: boolean;
}): SearchRestriction {
  const own: SearchRestriction = { kind: 'token', param: 'filer', codes: [{ system: given.filer.system, code: given.filer.value }] };
  if (!given.reading) return own;
  if (given.fullAccess) return everything;
  const readable = allOf([
    matrixRestriction(given.matrix),
    given.showMasked ? everything : { kind: 'token', param: 'security-label', codes: [{ code: MASKED_FROM_PROFESSIONALS }], negate: true },
  ]);
  return anyOf([own, readable]);
}

const KNOWN_TYPE_CODES = DOCUMENT_TYPES.map((t) => ({ code: t.code }));

/** The types a profession may read: the allowed known types, and unknown types of fully open classes. */
function matrixRestriction(row: MatrixRow | null): SearchRestriction {
  if (row === null) return nothing;
  const known: SearchRestriction =
    row.allowedTypeCodes.size === 0 ? nothing : { kind: 'token', param: 'type', codes: [...row.allowedTypeCodes].map((code) => ({ code })) };
  const unknownTypes: SearchRestriction =
    row.openClasses.size === 0
      ? nothing
      : allOf([
          { kind: 'token', param: 'type', codes: KNOWN_TYPE_CODES, negate: true },
          { kind: 'token', param: 'category', codes: [...row.openClasses].map((code) => ({ code })) },
        ]);
  return anyOf([known, unknownTypes]);
}

/** `all-of`, without the trivial members (everything) and collapsing to nothing when one is nothing. */
export function allOf(restrictions: readonly SearchRestriction[]): SearchRestriction {
  if (restrictions.some((r) => r.kind === 'nothing')) return nothing;
  const rest = restrictions.filter((r) => r.kind !== 'everything');
  if (rest.length === 0) return everything;
  return rest.length === 1 ? rest[0]! : { kind: 'all-of', restrictions: rest };
}

/** `any-of`, without the empty members (nothing) and collapsing to everything when one is everything. */
export function anyOf(restrictions: readonly SearchRestriction[]): SearchRestriction {
  if (restrictions.some((r) => r.kind === 'everything')) return everything;
  const rest = restrictions.filter((r) => r.kind !== 'nothing');
  if (rest.length === 0) return nothing;
  return rest.length === 1 ? rest[0]! : { kind: 'any-of', restrictions: rest };
}
