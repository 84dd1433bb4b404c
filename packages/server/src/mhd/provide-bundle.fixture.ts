import { randomUUID } from 'node:crypto';
import { idNatPs } from '@carnet/shared';
import { ID_NAT_PS_SYSTEM, ID_NAT_STRUCT_SYSTEM } from './contained-actors.ts';
import { sha1Base64 } from './document-reference.rules.ts';
import { MHD_LIST_TYPES, SOURCE_ID_EXTENSION } from './provide-bundle.ts';

/**
 * Builds ITI-65 Provide Document Bundles as a professional's software sends them (PDSm
 * Comprehensive), for tests, the demo data and the documentation's example. Every option has a
 * valid default; tests break one thing at a time.
 */
export interface DocumentFixture {
  bytes: Uint8Array;
  /** attachment.contentType and Binary.contentType. */
  contentType?: string;
  /** Send the bytes as attachment.data instead of a Binary entry. */
  inline?: boolean;
  masterIdentifier?: string;
  /** LOINC code of JDV_J07 (11488-4 Compte rendu de consultation by default). */
  typeCode?: { code: string; display: string; system?: string };
  title?: string;
  /** JDV_J58 codes; N by default. */
  securityLabels?: readonly string[];
  /** JDV_J60 code; urn:ihe:iti:xds-sd:pdf:2008 by default. */
  formatCode?: string;
  /** The id of a stored document this one replaces. */
  replaces?: string;
  /** When the act took place (context.period.start). */
  date?: string;
}

export interface BundleFixture {
  /** The patient's INS. */
  ins: { matricule: string; oid: string };
  /** The author, who is also the acting professional of the software. */
  author: { rpps: string; given?: string; family?: string };
  organization?: { finess: string; name: string };
  documents: readonly DocumentFixture[];
  submissionSetId?: string;
  /** Name the patient by `Patient/<id>` (as Carnet's Patient search returns it) instead of by INS. */
  patientId?: string;
}

const TRE_A03 = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';
const TRE_A08 = 'https://mos.esante.gouv.fr/NOS/TRE_A08-HL7Confidentiality/FHIR/TRE-A08-HL7Confidentiality';
const TRE_A07 = 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';
const TRE_A11 = 'https://mos.esante.gouv.fr/NOS/TRE_A11-IheFormatCode/FHIR/TRE-A11-IheFormatCode';
const TRE_A06 = 'https://mos.esante.gouv.fr/NOS/TRE_A06-FormatCodeComplementaire/FHIR/TRE-A06-FormatCodeComplementaire';
const TRE_R02 = 'https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite';
const TRE_A01 = 'https://mos.esante.gouv.fr/NOS/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice';

export const CONSULTATION_REPORT = { code: '11488-4', display: 'Compte rendu de consultation', classCode: '10' } as const;

export function buildProvideBundle(fixture: BundleFixture) {
  const patientRef = {
    reference: fixture.patientId === undefined ? `Patient?identifier=urn:oid:${fixture.ins.oid}|${fixture.ins.matricule}` : `Patient/${fixture.patientId}`,
  };
  const organization = fixture.organization ?? { finess: '750000010', name: 'Centre hospitalier de démonstration' };
  const practitioner = {
    resourceType: 'Practitioner',
    id: 'author',
    identifier: [{ system: ID_NAT_PS_SYSTEM, value: idNatPs(fixture.author.rpps) }],
    name: [{ family: fixture.author.family ?? 'BERNARD', given: [fixture.author.given ?? 'Claire'], prefix: ['Dr'] }],
  };
  const custodian = {
    resourceType: 'Organization',
    id: 'custodian',
    identifier: [{ system: ID_NAT_STRUCT_SYSTEM, value: `1${organization.finess}` }],
    name: organization.name,
  };
  const entries: unknown[] = [];
  const items: { item: { reference: string } }[] = [];
  for (const doc of fixture.documents) {
    const contentType = doc.contentType ?? 'application/pdf';
    const docUrl = `urn:uuid:${randomUUID()}`;
    const binaryUrl = `urn:uuid:${randomUUID()}`;
    const base64 = Buffer.from(doc.bytes).toString('base64');
    const type: { code: string; display: string; system?: string } = doc.typeCode ?? CONSULTATION_REPORT;
    const when = doc.date ?? '2026-03-02T09:00:00+01:00';
    const title = doc.title ?? type.display;
    const labels = doc.securityLabels ?? ['N'];
    entries.push({
      fullUrl: docUrl,
      resource: {
        resourceType: 'DocumentReference',
        contained: [practitioner, custodian],
        masterIdentifier: { system: 'urn:ietf:rfc:3986', value: doc.masterIdentifier ?? `urn:uuid:${randomUUID()}` },
        status: 'current',
        type: { coding: [{ system: type.system ?? 'http://loinc.org', code: type.code, display: type.display }] },
        ...(type.code === CONSULTATION_REPORT.code ? { category: [{ coding: [{ system: TRE_A03, code: CONSULTATION_REPORT.classCode, display: 'Compte rendu' }] }] } : {}),
        subject: patientRef,
        date: when,
        author: [{ reference: '#author' }],
        custodian: { reference: '#custodian' },
        securityLabel: labels.map((code) => ({ coding: [{ system: ['N', 'R', 'V'].includes(code) ? TRE_A08 : TRE_A07, code }] })),
        content: [
          {
            attachment: {
              contentType,
              language: 'fr-FR',
              ...(doc.inline ? { data: base64 } : { url: binaryUrl }),
              size: doc.bytes.length,
              hash: sha1Base64(doc.bytes),
              title,
              creation: when,
            },
            // IHE's format codes are TRE_A11; the French (ASIP/ANS) ones TRE_A06.
            format: { system: doc.formatCode?.startsWith('urn:asip') ? TRE_A06 : TRE_A11, code: doc.formatCode ?? 'urn:ihe:iti:xds-sd:pdf:2008' },
          },
        ],
        context: {
          period: { start: when },
          facilityType: { coding: [{ system: TRE_R02, code: 'SA01', display: 'Etablissement public de santé' }] },
          practiceSetting: { coding: [{ system: TRE_A01, code: 'ETABLISSEMENT', display: 'Etablissement de santé' }] },
          sourcePatientInfo: patientRef,
        },
        ...(doc.replaces === undefined ? {} : { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${doc.replaces}` } }] }),
      },
      request: { method: 'POST', url: 'DocumentReference' },
    });
    if (!doc.inline) {
      entries.push({ fullUrl: binaryUrl, resource: { resourceType: 'Binary', contentType, data: base64 }, request: { method: 'POST', url: 'Binary' } });
    }
    items.push({ item: { reference: docUrl } });
  }
  const submissionSet = {
    fullUrl: `urn:uuid:${randomUUID()}`,
    resource: {
      resourceType: 'List',
      contained: [{ ...practitioner, id: 'source' }],
      extension: [{ url: SOURCE_ID_EXTENSION, valueIdentifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.250.1.999.1' } }],
      identifier: [{ system: 'urn:ietf:rfc:3986', value: fixture.submissionSetId ?? `urn:uuid:${randomUUID()}`, use: 'usual' }],
      status: 'current',
      mode: 'working',
      code: { coding: [{ system: MHD_LIST_TYPES, code: 'submissionset' }] },
      subject: patientRef,
      date: '2026-03-02T09:05:00+01:00',
      source: { reference: '#source' },
      entry: items,
    },
    request: { method: 'POST', url: 'List' },
  };
  return { resourceType: 'Bundle', type: 'transaction', entry: [submissionSet, ...entries] };
}
