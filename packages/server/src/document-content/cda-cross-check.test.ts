import { INS_OID } from '@carnet/shared';
import { describe, expect, it } from 'vitest';
import { crossCheckCda, type DocumentReferenceFacts } from './cda-cross-check.ts';
import { parseCda } from './cda-parse.ts';
import { buildCdaN3 } from './fixtures/cda-builder.ts';

const cda = parseCda(
  new TextEncoder().encode(
    buildCdaN3({
      id: { root: '1.2.250.1.999.7', extension: 'CR-1' },
      confidentialityCode: 'R',
      effectiveTime: new Date('2024-03-15T09:30:00Z'),
      serviceEvent: { start: new Date('2024-03-15T09:00:00Z') },
    }),
  ),
  { maxBytes: 1024 * 1024 },
);

const agreeing: DocumentReferenceFacts = {
  patientIns: { oid: INS_OID.testNir, matricule: '284037511201238' },
  typeCode: { system: 'http://loinc.org', code: '11488-4' },
  securityLabels: ['R', 'MASQUE_PS'],
  authorRpps: ['10001234565'],
  creation: '2024-03-15T10:30:00+01:00',
  period: { start: '2024-03-15T10:00:00+01:00' },
  masterIdentifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.250.1.999.7^CR-1' },
};

describe('crossCheckCda', () => {
  it('finds nothing when the DocumentReference says what the CDA says (times in another zone included)', () => {
    expect(crossCheckCda(cda, agreeing)).toEqual([]);
    expect(crossCheckCda(cda, { masterIdentifier: { system: 'urn:oid:1.2.250.1.999.7', value: 'CR-1' } })).toEqual([]);
    expect(crossCheckCda(cda, { typeCode: { system: 'urn:oid:2.16.840.1.113883.6.1', code: '11488-4' }, securityLabels: ['V'] })).toEqual([]);
  });

  it.each([
    ['another patient', { patientIns: { oid: INS_OID.testNir, matricule: '175066912300429' } }, 'DocumentReference.subject'],
    ['the same matricule under another INS OID', { patientIns: { oid: INS_OID.nir, matricule: '284037511201238' } }, 'DocumentReference.subject'],
    ['another type', { typeCode: { system: 'http://loinc.org', code: '11490-0' } }, 'DocumentReference.type'],
    ['the same code in another system', { typeCode: { system: 'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire', code: '11488-4' } }, 'DocumentReference.type'],
    ['another unique id', { masterIdentifier: { value: 'urn:oid:1.2.250.1.999.7^CR-2' } }, 'DocumentReference.masterIdentifier'],
    ['labels less strict than the document', { securityLabels: ['N', 'MASQUE_PS'] }, 'DocumentReference.securityLabel'],
    ['no confidentiality label for a restricted document', { securityLabels: ['INVISIBLE_PATIENT'] }, 'DocumentReference.securityLabel'],
  ])('is an error: %s', (_name, facts: DocumentReferenceFacts, location) => {
    expect(crossCheckCda(cda, facts)).toEqual([expect.objectContaining({ location, severity: 'error' })]);
  });

  it.each([
    ['another author', { authorRpps: ['10002345675'] }, 'DocumentReference.author'],
    ['another creation time', { creation: '2024-03-15T09:31:00Z' }, 'DocumentReference.content.attachment.creation'],
    ['another creation date', { creation: '2024-03-14' }, 'DocumentReference.content.attachment.creation'],
    ['another period start', { period: { start: '2024-03-14T09:00:00Z' } }, 'DocumentReference.context.period.start'],
  ])('is a warning: %s', (_name, facts: DocumentReferenceFacts, location) => {
    expect(crossCheckCda(cda, facts)).toEqual([expect.objectContaining({ location, severity: 'warning' })]);
  });

  it('compares a creation date alone with the day the CDA was written', () => {
    expect(crossCheckCda(cda, { creation: '2024-03-15' })).toEqual([]);
  });

  it('lists every disagreement at once', () => {
    const problems = crossCheckCda(cda, { ...agreeing, typeCode: { system: 'http://loinc.org', code: '34874-8' }, securityLabels: ['N'] });
    expect(problems.map((problem) => problem.location)).toEqual(['DocumentReference.type', 'DocumentReference.securityLabel']);
  });
});
