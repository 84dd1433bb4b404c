import { hasValidLuhn } from './luhn.ts';

/**
 * FINESS number of a health facility: 9 characters, the département first (2A/2B in Corsica),
 * the last a Luhn key (reference.md §3.3). No primary source gives the key of Corsican numbers;
 * we count their letter as 0, and this is the one place to change if the registry says otherwise.
 */
export function isValidFiness(finess: string): boolean {
  const upper = finess.toUpperCase();
  // Corsica has been 2A/2B since 1976; no FINESS number starts with 20.
  if (!/^(?:\d{2}|2A|2B)\d{7}$/.test(upper) || upper.startsWith('20')) return false;
  return hasValidLuhn(upper.replace(/^2[AB]/, '20'));
}

/** The national structure identifier (idNat_Struct) used in FHIR and CDA: "1" + FINESS. */
export const idNatStruct = (finess: string) => `1${finess.toUpperCase()}`;
