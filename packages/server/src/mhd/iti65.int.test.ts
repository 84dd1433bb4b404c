import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { buildCdaN1, buildCdaN3 } from '../document-content/fixtures/cda-builder.ts';
import { buildPdf } from '../document-content/fixtures/pdf-builder.ts';
import { bundleFor, freshMatricule, type InsPatient, postBundle, softwareSession, type TestSoftwareSession, withIns } from './mhd.test-support.ts';

let t: TestApp;
let pro: TestSoftwareSession;
let patient: InsPatient;

beforeAll(async () => {
  t = await startTestApp();
  pro = await softwareSession(t);
  patient = await withIns(t);
});
afterAll(() => t.close());

const pdf = (text: string) => buildPdf(['Compte rendu de consultation', text], { title: text });

/** What a refused submission must leave as it was. */
async function storeState(patientId: string) {
  const db = t.deps.db;
  const count = async (table: 'fhir_resource' | 'patient_document' | 'audit_entry' | 'document_file_intent' | 'job') =>
    Number((await db.selectFrom(table).select((e) => e.fn.countAll().as('n')).where('patient_id', '=', patientId).executeTakeFirstOrThrow()).n);
  return {
    resources: await count('fhir_resource'),
    documents: await count('patient_document'),
    audit: await count('audit_entry'),
    intents: await count('document_file_intent'),
    jobs: await count('job'),
  };
}

describe('ITI-65 Provide Document Bundle', () => {
  it('files a PDF sent as a Binary, and serves it back through ITI-68', async () => {
    const bytes = pdf('Examen clinique normal.');
    const res = await postBundle(t, pro.headers, bundleFor(patient, pro.rpps, [{ bytes }]));
    expect(res.statusCode, res.body).toBe(200);
    const response = res.json();
    expect(response.type).toBe('transaction-response');
    expect(response.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(['201 Created', '201 Created', '201 Created']);
    const location = response.entry[1].response.location as string;
    expect(location).toMatch(/^DocumentReference\/[0-9a-f-]{36}\/_history\/1$/);

    const read = await t.app.inject({ url: `/fhir/R4/${location.split('/_history')[0]}`, headers: pro.headers });
    expect(read.statusCode, read.body).toBe(200);
    const document = read.json();
    expect(document.subject.reference).toBe(`Patient/${patient.patientId}`);
    expect(document.content[0].attachment.url).toMatch(/^Binary\/[0-9a-f-]{36}$/);
    expect(document.content[0].attachment.data).toBeUndefined();
    expect(document.extension).toContainEqual({
      url: 'https://carnet.health/fhir/StructureDefinition/filed-by',
      valueIdentifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: `8${pro.rpps}` },
    });

    const file = await t.app.inject({ url: `/fhir/R4/${document.content[0].attachment.url}`, headers: pro.headers });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(file.rawPayload, Buffer.from(bytes))).toBe(0);

    const row = await t.deps.db.selectFrom('patient_document').selectAll().where('document_id', '=', document.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ category: 'CPT_REND', type_code: '11488-4', filer_kind: 'professional', filer_id: pro.rpps, status: 'current', content_type: 'application/pdf' });
    const jobs = await t.deps.db.selectFrom('job').select(['kind', 'payload']).where('patient_id', '=', patient.patientId).execute();
    // Text extraction after filing; e-mails to the patient for the new document and for the professional's reading.
    expect(jobs.map((j) => `${j.kind}:${String((j.payload as { kind?: string }).kind ?? '')}`).sort()).toEqual([
      'document.extract-text:',
      'notification:new-document',
      'notification:professional-access',
    ]);
  });

  it('files a PDF sent inline in attachment.data', async () => {
    const res = await postBundle(t, pro.headers, bundleFor(patient, pro.rpps, [{ bytes: pdf('Inline.'), inline: true }]));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().entry).toHaveLength(2);
  });

  it('files a CDA R2 N1 wrapping a PDF, and a structured CDA N3, checked against their DocumentReference', async () => {
    for (const xml of [buildCdaN1({ patient: { insOid: patient.ins.oid, matricule: patient.ins.matricule }, author: { rpps: pro.rpps } }), buildCdaN3({ patient: { insOid: patient.ins.oid, matricule: patient.ins.matricule }, author: { rpps: pro.rpps } })]) {
      const uniqueId = /<id root="([^"]+)"(?: extension="([^"]+)")?\/>/.exec(xml)!;
      const masterIdentifier = `urn:oid:${uniqueId[1]}${uniqueId[2] === undefined ? '' : `^${uniqueId[2]}`}`;
      const n3 = xml.includes('structuredBody');
      const res = await postBundle(
        t,
        pro.headers,
        bundleFor(patient, pro.rpps, [
          { bytes: Buffer.from(xml), contentType: 'text/xml', masterIdentifier, formatCode: n3 ? 'urn:asipSante:modelesHorsProfils:2011' : 'urn:ihe:iti:xds-sd:pdf:2008', date: '2026-03-02T09:00:00+01:00' },
        ]),
      );
      expect(res.statusCode, res.body).toBe(200);
    }
  });

  it('refuses a CDA whose patient is someone else, nothing stored', async () => {
    const xml = buildCdaN1({ author: { rpps: pro.rpps } }); // the demo patient's INS
    const before = await storeState(patient.patientId);
    const res = await postBundle(t, pro.headers, bundleFor(patient, pro.rpps, [{ bytes: Buffer.from(xml), contentType: 'text/xml' }]));
    expect(res.statusCode, res.body).toBe(400);
    const locations = res.json().issue.map((i: { expression: string[] }) => i.expression[0]);
    expect(locations).toContain('Bundle.entry[1].resource.subject');
    expect(await storeState(patient.patientId)).toEqual(before);
  });

  it('refuses a Bundle with an entry that is not an object, naming it, nothing stored', async () => {
    const bundle = bundleFor(patient, pro.rpps, [{ bytes: pdf('Entrée vide.') }]) as { entry: unknown[] };
    bundle.entry.unshift(null);
    const before = await storeState(patient.patientId);
    const res = await postBundle(t, pro.headers, bundle);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().issue[0].expression).toEqual(['Bundle.entry[0]']);
    expect(await storeState(patient.patientId)).toEqual(before);
  });

  it('refuses a hash or size that is not the content\'s, listing each with its location, nothing stored', async () => {
    const bundle = bundleFor(patient, pro.rpps, [{ bytes: pdf('Hash.') }]) as { entry: { resource: { content: { attachment: Record<string, unknown> }[] } }[] };
    bundle.entry[1]!.resource.content[0]!.attachment.hash = 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    bundle.entry[1]!.resource.content[0]!.attachment.size = 12;
    const before = await storeState(patient.patientId);
    const res = await postBundle(t, pro.headers, bundle);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().resourceType).toBe('OperationOutcome');
    expect(res.json().issue.map((i: { expression: string[] }) => i.expression[0])).toEqual([
      'Bundle.entry[1].resource.content[0].attachment.size',
      'Bundle.entry[1].resource.content[0].attachment.hash',
    ]);
    expect(await storeState(patient.patientId)).toEqual(before);
  });

  it('refuses a patient no space has', async () => {
    const stranger = { patientId: patient.patientId, ins: { ...patient.ins, matricule: freshMatricule() } };
    const res = await postBundle(t, pro.headers, bundleFor(stranger, pro.rpps, [{ bytes: pdf('Nobody.') }]));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().issue[0].expression).toEqual(['Bundle.entry[0].resource.subject']);
  });

  it('refuses a content type the bytes are not', async () => {
    const res = await postBundle(t, pro.headers, bundleFor(patient, pro.rpps, [{ bytes: Buffer.from('Bonjour, ceci est du texte.'), contentType: 'application/pdf' }]));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().issue[0].expression).toEqual(['Bundle.entry[1].resource.content[0].attachment.contentType']);
  });

  it('refuses a document whose authors do not include the acting professional', async () => {
    const res = await postBundle(t, pro.headers, bundleFor(patient, '10001234565', [{ bytes: pdf('Someone else.') }]));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().issue.map((i: { expression: string[] }) => i.expression[0])).toEqual(['Bundle.entry[1].resource.author']);
  });

  it('recognises the same document sent again, and refuses another content under its masterIdentifier', async () => {
    const masterIdentifier = `urn:uuid:${crypto.randomUUID()}`;
    const bytes = pdf('Resent.');
    const first = await postBundle(t, pro.headers, bundleFor(patient, pro.rpps, [{ bytes, masterIdentifier }]));
    expect(first.statusCode, first.body).toBe(200);
    const before = await storeState(patient.patientId);
    const again = await postBundle(t, pro.headers, bundleFor(patient, pro.rpps, [{ bytes, masterIdentifier }]));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().entry[1].response).toMatchObject({ status: '200 OK', location: first.json().entry[1].response.location });
    const after = await storeState(patient.patientId);
    expect({ ...after, audit: before.audit }).toEqual(before);

    const other = await postBundle(t, pro.headers, bundleFor(patient, pro.rpps, [{ bytes: pdf('Other content.'), masterIdentifier }]));
    expect(other.statusCode, other.body).toBe(409);
    expect(other.json().issue[0].expression).toEqual(['Bundle.entry[1].resource.masterIdentifier']);
  });

  it('replaces a document: the new version is current, the old one superseded', async () => {
    const first = await postBundle(t, pro.headers, bundleFor(patient, pro.rpps, [{ bytes: pdf('Version 1.') }]));
    const oldId = (first.json().entry[1].response.location as string).split('/')[1]!;
    const second = await postBundle(t, pro.headers, bundleFor(patient, pro.rpps, [{ bytes: pdf('Version 2.'), replaces: oldId }]));
    expect(second.statusCode, second.body).toBe(200);
    const old = await t.app.inject({ url: `/fhir/R4/DocumentReference/${oldId}`, headers: pro.headers });
    expect(old.json().status).toBe('superseded');
    const row = await t.deps.db.selectFrom('patient_document').select('status').where('document_id', '=', oldId).executeTakeFirstOrThrow();
    expect(row.status).toBe('superseded');
    // A superseded document is not replaced twice.
    const third = await postBundle(t, pro.headers, bundleFor(patient, pro.rpps, [{ bytes: pdf('Version 2 bis.'), replaces: oldId }]));
    expect(third.statusCode, third.body).toBe(409);
    expect(third.json().issue[0].expression).toEqual(['Bundle.entry[1].resource.relatesTo[0].target']);
  });
});
