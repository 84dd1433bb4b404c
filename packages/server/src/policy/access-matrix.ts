import { DOCUMENT_TYPES, documentTypeOf, typeCodesOfClass } from '../codes/document-types.ts';

/**
 * The access matrix: which document types (JDV_J07 typeCode) a profession (TRE_G15) may read at all.
 * It is data, kept in the database and replaced by operators (`npm run access-matrix:import`); the
 * default is the PROPOSED matrix of shared/domain/codes, not the official DMP annex. This file only
 * evaluates it, as the codes README states:
 *
 *   allowed = typeCode ∈ technical OR ((default = allow) XOR typeCode ∈ exceptions)
 *
 * An unknown or disabled profession may read nothing. A typeCode outside JDV_J07 follows the known
 * types of its classCode: it is allowed only when every known type of that class is (the README
 * says "the rule of a known type of the same classCode"; when those rules differ, the strictest).
 */
export interface AccessMatrix {
  /** Style sheets and signatures: readable by every profession, they carry no clinical content. */
  technicalTypeCodes: ReadonlySet<string>;
  professions: ReadonlyMap<string, MatrixProfession>;
}

export interface MatrixProfession {
  professionCode: string;
  display: string;
  default: 'allow' | 'deny';
  exceptions: ReadonlySet<string>;
  /** A disabled row reads nothing (the non-PS row, legally unsettled). */
  enabled: boolean;
}

/**
 * One profession's rights, evaluated once when the matrix is loaded: the relationship facts carry
 * it, so that a decision on the hot path is a set lookup.
 */
export interface MatrixRow {
  professionCode: string;
  /** Every known typeCode the profession may read (technical ones included). */
  allowedTypeCodes: ReadonlySet<string>;
  /** Classes whose every known type is allowed: unknown types of these classes are readable. */
  openClasses: ReadonlySet<string>;
}

export function matrixRowOf(matrix: AccessMatrix, professionCode: string): MatrixRow | null {
  const profession = matrix.professions.get(professionCode);
  if (profession === undefined || !profession.enabled) return null;
  const allows = (typeCode: string) =>
    matrix.technicalTypeCodes.has(typeCode) || (profession.default === 'allow') !== profession.exceptions.has(typeCode);
  const allowedTypeCodes = new Set(DOCUMENT_TYPES.map((t) => t.code).filter(allows));
  const classes = new Set(DOCUMENT_TYPES.map((t) => t.classCode));
  const openClasses = new Set([...classes].filter((c) => typeCodesOfClass(c).every((t) => allowedTypeCodes.has(t))));
  return { professionCode, allowedTypeCodes, openClasses };
}

/** Whether the row lets its profession read a document of this type (and class, for an unknown type). */
export function matrixAllows(row: MatrixRow | null, typeCode: string, classCode?: string): boolean {
  if (row === null) return false;
  if (documentTypeOf(typeCode) !== undefined) return row.allowedTypeCodes.has(typeCode);
  return classCode !== undefined && row.openClasses.has(classCode);
}
