import confidentiality from './data/jdv-j58-confidentiality.json' with { type: 'json' };

/**
 * The confidentiality codes of a DMP document (JDV_J58), carried as `DocumentReference.securityLabel`:
 * N/R/V (HL7, TRE_A08) plus the visibility flags of TRE_A07. A document has N and zero or more
 * flags; the flags decide who sees it (policy/document-rules.ts).
 */
export const CONFIDENTIALITY_CODES = ['N', 'R', 'V', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX', 'MASQUE_PS'] as const;
export type ConfidentialityCode = (typeof CONFIDENTIALITY_CODES)[number];

export interface ConfidentialityEntry {
  code: ConfidentialityCode;
  system: string;
  display: string;
}

/** TRE_A08 (HL7 Confidentiality, as the ANS publishes it). */
export const HL7_CONFIDENTIALITY_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_A08-HL7Confidentiality/FHIR/TRE-A08-HL7Confidentiality';
/** TRE_A07 (visibility of a document). */
export const VISIBILITY_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';

/** Masked from professionals by the patient (or a professional): seen by its author, the treating doctor, administrators. */
export const MASKED_FROM_PROFESSIONALS = 'MASQUE_PS';
/** Hidden from the patient until a professional has announced it. */
export const INVISIBLE_TO_PATIENT = 'INVISIBLE_PATIENT';
/** Hidden from a minor's legal representatives (secret care, CSP L1111-5). */
export const INVISIBLE_TO_LEGAL_REPRESENTATIVES = 'INVISIBLE_REPRESENTANTS_LEGAUX';

const isCode = (code: string): code is ConfidentialityCode => (CONFIDENTIALITY_CODES as readonly string[]).includes(code);

export const CONFIDENTIALITY: readonly ConfidentialityEntry[] = confidentiality.entries.map((e) => {
  if (!isCode(e.code)) throw new Error(`codes: unexpected confidentiality code ${e.code} in jdv-j58-confidentiality.json`);
  return { code: e.code, system: e.system, display: e.display };
});

const BY_CODE: ReadonlyMap<string, ConfidentialityEntry> = new Map(CONFIDENTIALITY.map((e) => [e.code, e]));

/** The JDV_J58 entry of a code (with its system), or undefined for a code outside the value set. */
export const confidentialityOf = (code: string): ConfidentialityEntry | undefined => BY_CODE.get(code);

/** Whether `system|code` is a JDV_J58 confidentiality code; a code without system is accepted by its code. */
export function isConfidentialityCode(code: string, system?: string): boolean {
  const entry = BY_CODE.get(code);
  return entry !== undefined && (system === undefined || system === entry.system);
}
