import { CDA_OIDS, type CdaDocument } from './cda.ts';

/**
 * What the DocumentReference filed with a CDA says about it, as the MHD layer reads it. Absent
 * facts are not compared (the MHD profile checks which ones are required).
 */
export interface DocumentReferenceFacts {
  /** From DocumentReference.subject (the Patient's INS identifier). */
  patientIns?: { oid: string; matricule: string };
  /** DocumentReference.type: a LOINC or TRE_A05 coding. */
  typeCode?: { system: string; code: string };
  /** DocumentReference.securityLabel codes (JDV_J58). */
  securityLabels?: readonly string[];
  /** RPPS numbers of DocumentReference.author professionals. */
  authorRpps?: readonly string[];
  /** DocumentReference.content.attachment.creation. */
  creation?: string;
  /** DocumentReference.context.period. */
  period?: { start?: string; end?: string };
  /** DocumentReference.masterIdentifier (the XDS uniqueId). */
  masterIdentifier?: { system?: string; value: string };
}

export interface CdaMismatch {
  /** The DocumentReference element that disagrees with the document. */
  location: string;
  message: string;
  /**
   * 'error': the document must not be filed under this DocumentReference. The patient (it would
   * land in another person's record), the type (it drives who may read it) and the uniqueId (it
   * identifies the document for replacement and de-duplication) must agree, and the labels must
   * be at least as strict as the document's confidentiality (access rules read the labels).
   * 'warning': worth telling the sender, not worth refusing: times written at another precision
   * or zone, an author list that names the organisation or software rather than the person.
   */
  severity: 'error' | 'warning';
}

const SYSTEM_OIDS: Readonly<Record<string, string>> = {
  'http://loinc.org': CDA_OIDS.loinc,
  'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire': CDA_OIDS.treA05,
};

/** HL7 confidentiality, least to most restricted (TRE_A08 / JDV_J58). */
const STRICTNESS: Readonly<Record<string, number>> = { N: 0, R: 1, V: 2 };

/** Compares a parsed CDA's header with its DocumentReference; [] when they agree. */
export function crossCheckCda(cda: CdaDocument, facts: DocumentReferenceFacts): CdaMismatch[] {
  const problems: CdaMismatch[] = [];
  const error = (location: string, message: string) => problems.push({ location, message, severity: 'error' });
  const warning = (location: string, message: string) => problems.push({ location, message, severity: 'warning' });

  if (facts.patientIns !== undefined) {
    const { oid, matricule } = facts.patientIns;
    if (oid !== cda.patient.ins.oid || matricule.toUpperCase() !== cda.patient.ins.matricule) {
      error('DocumentReference.subject', "the patient's INS differs from the CDA's recordTarget/patientRole/id.");
    }
  }

  if (facts.typeCode !== undefined) {
    const system = oidOfSystem(facts.typeCode.system);
    if (facts.typeCode.code !== cda.typeCode.code || system !== cda.typeCode.codeSystem) {
      error('DocumentReference.type', `the type ${facts.typeCode.code} differs from the CDA's code (${cda.typeCode.code}).`);
    }
  }

  if (facts.masterIdentifier !== undefined && !sameUniqueId(cda, facts.masterIdentifier)) {
    error('DocumentReference.masterIdentifier', "the document's unique id differs from the CDA's ClinicalDocument/id.");
  }

  if (facts.securityLabels !== undefined) {
    const documentLevel = Math.max(...cda.confidentiality.map((code) => STRICTNESS[code.code] ?? 0));
    const labelLevel = Math.max(-1, ...facts.securityLabels.map((code) => STRICTNESS[code] ?? -1));
    if (labelLevel < documentLevel) {
      const wanted = Object.keys(STRICTNESS)[documentLevel];
      error('DocumentReference.securityLabel', `the CDA's confidentialityCode is ${wanted}; the labels must include ${wanted} (or stricter).`);
    }
  }

  if (facts.authorRpps !== undefined && facts.authorRpps.length > 0) {
    for (const [index, author] of cda.authors.entries()) {
      if (author.rpps !== undefined && !facts.authorRpps.includes(author.rpps)) {
        warning('DocumentReference.author', `the CDA's author ${index + 1} (RPPS in ClinicalDocument/author/assignedAuthor/id) is not among the DocumentReference's authors.`);
      }
    }
  }

  if (facts.creation !== undefined && !sameTime(facts.creation, cda.effectiveTime)) {
    warning('DocumentReference.content.attachment.creation', "the creation time differs from the CDA's effectiveTime.");
  }

  for (const end of ['start', 'end'] as const) {
    const given = facts.period?.[end];
    const written = cda.serviceEvent?.[end];
    if (given !== undefined && written !== undefined && !sameTime(given, written)) {
      warning(`DocumentReference.context.period.${end}`, `the period ${end} differs from the CDA's documentationOf/serviceEvent/effectiveTime/${end === 'start' ? 'low' : 'high'}.`);
    }
  }
  return problems;
}

function oidOfSystem(system: string): string {
  if (system.startsWith('urn:oid:')) return system.slice('urn:oid:'.length);
  return SYSTEM_OIDS[system] ?? system;
}

/**
 * IHE MHD maps uniqueId to masterIdentifier as a URI (`urn:oid:root`, `urn:uuid:…`, with
 * `^extension` when the CDA id has one); an Identifier with `system = urn:oid:root` and the
 * extension as value says the same.
 */
function sameUniqueId(cda: CdaDocument, identifier: { system?: string; value: string }): boolean {
  const value = identifier.value.trim();
  if (identifier.system !== undefined && identifier.system.startsWith('urn:oid:')) {
    return identifier.system.slice('urn:oid:'.length) === cda.id.root && value === cda.id.extension;
  }
  const unprefixed = value.replace(/^urn:(?:oid|uuid):/i, '');
  return unprefixed.toLowerCase() === cda.uniqueId.toLowerCase();
}

/** Same instant; or, when either side is only a date, the same date as written. */
function sameTime(given: string, written: string): boolean {
  if (given.length <= 10 || written.length <= 10) return given.slice(0, 10) === written.slice(0, 10);
  return Date.parse(given) === Date.parse(written);
}
