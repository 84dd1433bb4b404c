import { hasValidLuhn } from './luhn.ts';

/** RPPS number of a health professional: 11 digits, the last a Luhn key. */
export function isValidRpps(rpps: string): boolean {
  return /^\d{11}$/.test(rpps) && hasValidLuhn(rpps);
}

/** The national professional identifier (idNat_PS) used in FHIR and CDA: "8" + RPPS. */
export const idNatPs = (rpps: string) => `8${rpps}`;
