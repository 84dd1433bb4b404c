import { CONFIDENTIALITY_CODES, confidentialityOf } from '../codes/confidentiality.ts';
import { type DocumentType, documentTypeOf, patientCategoryOf } from '../codes/document-types.ts';
import classCodes from '../codes/data/jdv-j06-j57-xds-classcode.json' with { type: 'json' };
import facilityTypes from '../codes/data/jdv-j02-healthcare-facility-type.json' with { type: 'json' };
import practiceSettings from '../codes/data/jdv-j04-practice-setting.json' with { type: 'json' };
import formatCodes from '../codes/data/jdv-j60-format-code.json' with { type: 'json' };
import type { Coding } from './json-shape.ts';

/** A document type of JDV_J07 with the patient-facing category; null for technical documents. */
export type DocumentTypeInfo = DocumentType & { category: string | null };

export interface FormatInfo {
  code: string;
  system: string;
  /** 'cda-n1' (a file wrapped in CDA), 'cda-n3' (structured CDA), or 'other'. */
  kind: 'cda-n1' | 'cda-n3' | 'other';
  /** The file type an N1 format wraps (application/pdf for urn:ihe:iti:xds-sd:pdf:2008). */
  mimeType: string | undefined;
}

/** The value sets an MHD submission's codes are checked against (reference.md §3.2). */
export interface MhdTerminology {
  /** JDV_J07 typeCode. */
  documentType(coding: Coding): DocumentTypeInfo | undefined;
  /** JDV_J06/J57 classCode: TRE_A03 (and TRE_A10 for signatures). */
  isClassCode(coding: Coding): boolean;
  /** JDV_J58: the confidentiality level (N, R, V) or a visibility flag (TRE_A07). */
  confidentialityKind(coding: Coding): 'level' | 'visibility' | undefined;
  /** JDV_J60 formatCode (the DMP's list). */
  formatOf(coding: Coding): FormatInfo | undefined;
  /** JDV_J02 healthcareFacilityTypeCode. */
  isFacilityType(coding: Coding): boolean;
  /** JDV_J04 practiceSettingCode. */
  isPracticeSetting(coding: Coding): boolean;
}

/**
 * Senders name a code system by its FHIR canonical URL, by `urn:oid:` or, for HL7 and LOINC, by
 * HL7's URL. Each alias maps to the canonical URL the code lists carry.
 */
const NOS = 'https://mos.esante.gouv.fr/NOS';
const SYSTEM_ALIASES: Readonly<Record<string, string>> = {
  'urn:oid:2.16.840.1.113883.6.1': 'http://loinc.org',
  'urn:oid:1.2.250.1.213.1.1.4.12': `${NOS}/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire`,
  'urn:oid:1.2.250.1.213.1.1.4.1': `${NOS}/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument`,
  'urn:oid:2.16.840.1.113883.5.25': `${NOS}/TRE_A08-HL7Confidentiality/FHIR/TRE-A08-HL7Confidentiality`,
  'http://terminology.hl7.org/CodeSystem/v3-Confidentiality': `${NOS}/TRE_A08-HL7Confidentiality/FHIR/TRE-A08-HL7Confidentiality`,
  'urn:oid:1.2.250.1.213.1.1.4.13': `${NOS}/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument`,
  'urn:oid:1.2.250.1.71.4.2.4': `${NOS}/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite`,
  'urn:oid:1.2.250.1.213.1.1.4.6': `${NOS}/TRE_A00-ProducteurDocNonPS/FHIR/TRE-A00-ProducteurDocNonPS`,
  'urn:oid:1.2.250.1.213.1.1.4.9': `${NOS}/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice`,
  'urn:oid:1.3.6.1.4.1.19376.1.2.3': `${NOS}/TRE_A11-IheFormatCode/FHIR/TRE-A11-IheFormatCode`,
  'urn:oid:1.2.250.1.213.1.1.4.2.282': `${NOS}/TRE_A06-FormatCodeComplementaire/FHIR/TRE-A06-FormatCodeComplementaire`,
  'urn:oid:1.2.840.10008.2.6.1': `${NOS}/TRE_A09-DICOMuidRegistry/FHIR/TRE-A09-DICOMuidRegistry`,
};

/** The canonical form of a system, or undefined when none was given. */
export const canonicalSystem = (system: string | undefined) => (system === undefined ? undefined : (SYSTEM_ALIASES[system] ?? system));

const key = (system: string, code: string) => `${system}|${code}`;

const CLASS_CODES = new Set(classCodes.entries.map((e) => key(e.system, e.code)));
const FACILITY_TYPES = new Set(facilityTypes.entries.map((e) => key(e.system, e.code)));
const PRACTICE_SETTINGS = new Set(practiceSettings.entries.map((e) => key(e.system, e.code)));
const FORMATS: ReadonlyMap<string, FormatInfo> = new Map(
  formatCodes.entries
    .filter((e) => e.inJ60)
    .map((e) => [
      key(e.system, e.code),
      {
        code: e.code,
        system: e.system,
        kind: e.kind?.startsWith('CDA R2 N1') ? 'cda-n1' : e.kind?.startsWith('CDA R2 N3') ? 'cda-n3' : 'other',
        mimeType: e.mimeType ?? undefined,
      } satisfies FormatInfo,
    ]),
);

/** In a value set: the system (by any of its names) and the code both match. */
const inSet = (set: ReadonlySet<string>, coding: Coding) => {
  const system = canonicalSystem(coding.system);
  return system !== undefined && set.has(key(system, coding.code));
};

/** The code lists of codes/ (J07, J06, J58) and of mhd/data (J60, J02, J04, copied from shared/domain/codes). */
export const mhdTerminology: MhdTerminology = {
  documentType(coding) {
    const type = documentTypeOf(coding.code);
    if (type === undefined || canonicalSystem(coding.system) !== type.system) return undefined;
    return { ...type, category: patientCategoryOf(type.code, type.classCode) };
  },
  isClassCode: (coding) => inSet(CLASS_CODES, coding),
  confidentialityKind(coding) {
    const entry = confidentialityOf(coding.code);
    if (entry === undefined || canonicalSystem(coding.system) !== entry.system) return undefined;
    return (CONFIDENTIALITY_CODES.slice(0, 3) as readonly string[]).includes(entry.code) ? 'level' : 'visibility';
  },
  formatOf(coding) {
    const system = canonicalSystem(coding.system);
    return system === undefined ? undefined : FORMATS.get(key(system, coding.code));
  },
  isFacilityType: (coding) => inSet(FACILITY_TYPES, coding),
  isPracticeSetting: (coding) => inSet(PRACTICE_SETTINGS, coding),
};
