import { INS_OID, isValidNir } from './nir.ts';

/**
 * The INS (national health identifier): a matricule with its OID, and the five identity traits
 * it is qualified with (reference.md §3.3). Traits are compared and stored in their normalised
 * form: upper case, no diacritics, ligatures spelled out.
 */
export interface InsIdentity {
  matricule: string;
  oid: string;
  birthFamilyName: string;
  firstNames: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'M' | 'F';
  /** INSEE code of the birthplace: a commune (2A/2B in Corsica), or 99xxx for a country abroad. */
  birthplaceCode: string;
}

/** Test OIDs name test identities: a production space must refuse them. */
export function isAcceptedInsOid(oid: string, options: { demo: boolean }): boolean {
  if (oid === INS_OID.nir || oid === INS_OID.nia) return true;
  return options.demo && (oid === INS_OID.testNir || oid === INS_OID.testNia);
}

const LIGATURES: Record<string, string> = { Œ: 'OE', œ: 'OE', Æ: 'AE', æ: 'AE', ß: 'SS' };

/** Upper case, without diacritics, single spaces: "Léa-Marie  d'Œuvray" → "LEA-MARIE D'OEUVRAY". */
export function normalizeTrait(value: string): string {
  return value
    .replace(/[ŒœÆæß]/g, (c) => LIGATURES[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’‘`]/g, "'")
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export type TraitProblem = { field: keyof InsIdentity; message: string };

/** Checks an identity as it would be filed, naming each field that is wrong. */
export function checkInsIdentity(identity: InsIdentity, options: { demo: boolean; today: string }): TraitProblem[] {
  const problems: TraitProblem[] = [];
  if (!isValidNir(identity.matricule)) {
    problems.push({ field: 'matricule', message: 'The INS matricule must be 13 characters followed by its 2-digit key.' });
  }
  if (!isAcceptedInsOid(identity.oid, options)) {
    problems.push({ field: 'oid', message: `The INS OID must be ${INS_OID.nir} (NIR) or ${INS_OID.nia} (NIA).` });
  }
  for (const field of ['birthFamilyName', 'firstNames'] as const) {
    const value = identity[field];
    if (value !== normalizeTrait(value) || !/^[A-Z][A-Z' -]*$/.test(value)) {
      problems.push({ field, message: `${field} must be in upper case letters without diacritics (A–Z, space, hyphen, apostrophe).` });
    }
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(identity.birthDate) || Number.isNaN(Date.parse(identity.birthDate))) {
    problems.push({ field: 'birthDate', message: 'The birth date must be a date written YYYY-MM-DD.' });
  } else if (identity.birthDate > options.today) {
    problems.push({ field: 'birthDate', message: 'The birth date cannot be in the future.' });
  }
  if (identity.sex !== 'M' && identity.sex !== 'F') {
    problems.push({ field: 'sex', message: 'The INS sex is M or F.' });
  }
  if (!/^(?:\d{5}|2[AB]\d{3})$/.test(identity.birthplaceCode)) {
    problems.push({ field: 'birthplaceCode', message: 'The birthplace is a 5-character INSEE code (2A/2B in Corsica, 99xxx abroad).' });
  }
  return problems;
}

/**
 * The patient's secure-messaging address, derived from the INS matricule (reference.md §3.4):
 * `<matricule>@patient.<domain>`.
 */
export function patientMssAddress(matricule: string, mssDomain: string): string {
  if (!isValidNir(matricule)) throw new RangeError('A secure-messaging address needs a valid INS matricule.');
  return `${matricule}@patient.${mssDomain}`;
}
