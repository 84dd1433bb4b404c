import { INS_OID } from '@carnet/shared';
import { describe, expect, it } from 'vitest';
import { buildPdf } from '../document-content/fixtures/pdf-builder.ts';
import { SubmissionRefused } from '../documents/filing-problems.ts';
import { mhdTerminology } from './mhd-terminology.ts';
import { buildProvideBundle, type BundleFixture } from './provide-bundle.fixture.ts';
import { parseProvideBundle } from './provide-bundle.ts';

const INS = { matricule: '284037511201238', oid: INS_OID.testNir };
const RPPS = '10001234565';
const pdf = buildPdf(['Compte rendu de consultation', 'Examen normal.'], { title: 'CR' });
const options = { terminology: mhdTerminology, maxDocumentBytes: 1024 * 1024, acceptTestIns: true };

const fixture = (overrides: Partial<BundleFixture> = {}): BundleFixture => ({
  ins: INS,
  author: { rpps: RPPS },
  documents: [{ bytes: pdf }],
  ...overrides,
});

/** The bundle as JSON, to mutate like a careless sender would. */
const bundleJson = (overrides: Partial<BundleFixture> = {}) => JSON.parse(JSON.stringify(buildProvideBundle(fixture(overrides))));

function problemsOf(body: unknown, parseOptions = options) {
  try {
    parseProvideBundle(body, parseOptions);
  } catch (error) {
    if (error instanceof SubmissionRefused) return { status: error.status, problems: error.problems.map((p) => p.location) };
    throw error;
  }
  throw new Error('The bundle was accepted.');
}

describe('reading an ITI-65 Provide Document Bundle', () => {
  it('accepts a PDSm submission and reads the patient, the type, its class and category, the labels and the bytes', () => {
    const parsed = parseProvideBundle(bundleJson({ documents: [{ bytes: pdf, securityLabels: ['N', 'MASQUE_PS'] }] }), options);
    expect(parsed.patient).toEqual({ kind: 'ins', ...INS });
    expect(parsed.documents).toHaveLength(1);
    const [doc] = parsed.documents;
    expect(doc!.type).toMatchObject({ code: '11488-4', classCode: '10', category: 'CPT_REND' });
    expect(doc!.securityLabels).toEqual(['N', 'MASQUE_PS']);
    expect(Buffer.compare(doc!.content.bytes, Buffer.from(pdf))).toBe(0);
    expect(doc!.authors[0]).toMatchObject({ rpps: RPPS, name: 'Dr Claire BERNARD' });
    expect(doc!.custodianName).toBe('Centre hospitalier de démonstration');
  });

  it('accepts the content inline in attachment.data', () => {
    const parsed = parseProvideBundle(bundleJson({ documents: [{ bytes: pdf, inline: true }] }), options);
    expect(parsed.documents[0]!.content.binaryEntryIndex).toBeUndefined();
    expect(parsed.documents[0]!.content.bytes.length).toBe(pdf.length);
  });

  it('refuses what is not a transaction Bundle with 400', () => {
    expect(problemsOf({ resourceType: 'Patient' })).toEqual({ status: 400, problems: ['Bundle'] });
    expect(problemsOf('nothing')).toEqual({ status: 400, problems: ['Bundle'] });
    expect(problemsOf({ resourceType: 'Bundle', type: 'transaction', entry: [] }).problems).toEqual(['Bundle.entry']);
  });

  it('locates a wrong hash, a wrong size and a missing title on the attachment', () => {
    const body = bundleJson();
    const attachment = body.entry[1].resource.content[0].attachment;
    attachment.hash = 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    attachment.size = pdf.length + 1;
    delete attachment.title;
    expect(problemsOf(body)).toEqual({
      status: 400,
      problems: [
        'Bundle.entry[1].resource.content[0].attachment.title',
        'Bundle.entry[1].resource.content[0].attachment.size',
        'Bundle.entry[1].resource.content[0].attachment.hash',
      ],
    });
  });

  it('lists every problem of every document at once', () => {
    const body = bundleJson({ documents: [{ bytes: pdf }, { bytes: pdf, inline: true }] });
    delete body.entry[1].resource.masterIdentifier;
    body.entry[1].resource.type.coding[0].code = '00000-0';
    body.entry[3].resource.securityLabel = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'U' }] }];
    delete body.entry[3].resource.context.period;
    expect(problemsOf(body).problems).toEqual([
      'Bundle.entry[1].resource.masterIdentifier',
      'Bundle.entry[1].resource.type.coding[0]',
      'Bundle.entry[3].resource.securityLabel[0].coding[0]',
      'Bundle.entry[3].resource.securityLabel',
      'Bundle.entry[3].resource.context.period.start',
    ]);
  });

  it('refuses a class that does not go with the type (ASS_X04)', () => {
    const body = bundleJson();
    body.entry[1].resource.category[0].coding[0].code = '42';
    expect(problemsOf(body).problems).toEqual(['Bundle.entry[1].resource.category[0].coding[0]']);
  });

  it('refuses codes outside JDV_J60, J02 and J04', () => {
    const body = bundleJson();
    body.entry[1].resource.content[0].format.code = 'urn:example:format';
    body.entry[1].resource.context.facilityType.coding[0].code = 'SA99';
    body.entry[1].resource.context.practiceSetting.coding[0].code = 'NOWHERE';
    expect(problemsOf(body).problems).toEqual([
      'Bundle.entry[1].resource.context.facilityType.coding[0]',
      'Bundle.entry[1].resource.context.practiceSetting.coding[0]',
      'Bundle.entry[1].resource.content[0].format',
    ]);
  });

  it('accepts code systems named by urn:oid', () => {
    const body = bundleJson();
    body.entry[1].resource.type.coding[0].system = 'urn:oid:2.16.840.1.113883.6.1';
    body.entry[1].resource.securityLabel[0].coding[0].system = 'urn:oid:2.16.840.1.113883.5.25';
    body.entry[1].resource.context.facilityType.coding[0].system = 'urn:oid:1.2.250.1.71.4.2.4';
    expect(parseProvideBundle(body, options).documents).toHaveLength(1);
  });

  it('refuses an author without RPPS, a missing custodian and a missing contained author', () => {
    const body = bundleJson();
    body.entry[1].resource.contained[0].identifier[0].value = '810001234566'; // wrong key
    delete body.entry[1].resource.custodian;
    expect(problemsOf(body).problems).toEqual(['Bundle.entry[1].resource.author', 'Bundle.entry[1].resource.custodian']);
    const other = bundleJson();
    other.entry[1].resource.author = [{ reference: '#nobody' }];
    expect(problemsOf(other).problems).toEqual(['Bundle.entry[1].resource.author[0]']);
  });

  it('identifies the patient by INS only, with a valid key, and test OIDs only in demo mode', () => {
    expect(problemsOf(bundleJson(), { ...options, acceptTestIns: false }).problems).toEqual([
      'Bundle.entry[0].resource.subject.reference',
      'Bundle.entry[1].resource.subject.reference',
    ]);
    const wrongKey = bundleJson({ ins: { matricule: '284037511201239', oid: INS_OID.testNir } });
    expect(problemsOf(wrongKey).problems).toHaveLength(2);
  });

  it('accepts the patient as a logical reference, a Patient entry or Patient/<id>', () => {
    const logical = bundleJson();
    logical.entry[1].resource.subject = { identifier: { system: `urn:oid:${INS.oid}`, value: INS.matricule } };
    expect(parseProvideBundle(logical, options).patient).toEqual({ kind: 'ins', ...INS });

    const withEntry = bundleJson();
    withEntry.entry.push({
      fullUrl: 'urn:uuid:5d9b1b54-3c43-4a5b-9b47-7d0c51c8a001',
      resource: { resourceType: 'Patient', identifier: [{ system: `urn:oid:${INS.oid}`, value: INS.matricule }] },
      request: { method: 'POST', url: 'Patient' },
    });
    withEntry.entry[0].resource.subject = { reference: 'urn:uuid:5d9b1b54-3c43-4a5b-9b47-7d0c51c8a001' };
    const parsed = parseProvideBundle(withEntry, options);
    expect(parsed.passThrough).toEqual([{ entryIndex: 3, kind: 'patient' }]);
  });

  it('refuses documents of two different patients in one submission', () => {
    const body = bundleJson();
    body.entry[1].resource.subject = { reference: `Patient?identifier=urn:oid:${INS.oid}|175066912300429` };
    expect(problemsOf(body).problems).toEqual(['Bundle.entry[1].resource.subject']);
  });

  it('refuses a bundle without its SubmissionSet, or with a document it does not list', () => {
    const body = bundleJson();
    body.entry.shift();
    expect(problemsOf(body).problems).toEqual(['Bundle.entry']);
    const unlisted = bundleJson({ documents: [{ bytes: pdf }, { bytes: pdf, inline: true }] });
    unlisted.entry[0].resource.entry.pop();
    expect(problemsOf(unlisted).problems).toEqual(['Bundle.entry[3].resource']);
  });

  it('refuses a Binary no document uses, and content both inline and by url', () => {
    const body = bundleJson();
    body.entry.push({ fullUrl: 'urn:uuid:1', resource: { resourceType: 'Binary', contentType: 'application/pdf', data: 'JVBERg==' }, request: { method: 'POST', url: 'Binary' } });
    expect(problemsOf(body).problems).toEqual(['Bundle.entry[3]']);
    const both = bundleJson();
    both.entry[1].resource.content[0].attachment.data = 'JVBERg==';
    // …and the Binary it named is then used by no document.
    expect(problemsOf(both).problems).toEqual(['Bundle.entry[1].resource.content[0].attachment', 'Bundle.entry[2]']);
  });

  it('refuses two documents under one masterIdentifier', () => {
    const body = bundleJson({ documents: [{ bytes: pdf, masterIdentifier: 'urn:oid:1.2.3.4' }, { bytes: pdf, inline: true, masterIdentifier: 'urn:oid:1.2.3.4' }] });
    expect(problemsOf(body).problems).toEqual(['Bundle.entry[3].resource.masterIdentifier']);
  });

  it('reads a replacement, and lets a PATCH entry supersede only the replaced document', () => {
    const target = '0b7e3b8e-1c1c-4c53-9f39-8d1f3e0c0a01';
    const body = bundleJson({ documents: [{ bytes: pdf, replaces: target }] });
    const patch = (id: string) => ({
      fullUrl: 'urn:uuid:0b7e3b8e-1c1c-4c53-9f39-8d1f3e0c0a99',
      resource: {
        resourceType: 'Parameters',
        parameter: [
          {
            name: 'operation',
            part: [
              { name: 'type', valueCode: 'replace' },
              { name: 'path', valueString: 'DocumentReference.status' },
              { name: 'value', valueCode: 'superseded' },
            ],
          },
        ],
      },
      request: { method: 'PATCH', url: `DocumentReference/${id}` },
    });
    body.entry.push(patch(target));
    const parsed = parseProvideBundle(body, options);
    expect(parsed.documents[0]!.replaces?.documentId).toBe(target);
    expect(parsed.passThrough).toEqual([{ entryIndex: 3, kind: 'supersede', documentId: target }]);
    const stray = bundleJson();
    stray.entry.push(patch(target));
    expect(problemsOf(stray).problems).toEqual(['Bundle.entry[3].request']);
  });

  it('never throws anything but a refusal on malformed JSON shapes', () => {
    const shapes = [null, 1, [], { resourceType: 'Bundle', type: 'transaction', entry: [1, 'x', null, {}] }];
    for (const shape of shapes) expect(() => parseProvideBundle(shape, options)).toThrow(SubmissionRefused);
    const body = bundleJson();
    body.entry[1].resource.content = 'pdf';
    body.entry[1].resource.contained = { nope: true };
    body.entry[1].resource.securityLabel = 'N';
    expect(() => parseProvideBundle(body, options)).toThrow(SubmissionRefused);
  });
});
