import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestAccount, headersOf, loginFully } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { buildPdf } from '../document-content/fixtures/pdf-builder.ts';
import { accessTokenFor } from '../oauth/oauth.test-support.ts';
import { bundleFor, type InsPatient, postBundle, softwareSession, type TestSoftwareSession, withIns } from './mhd.test-support.ts';

let t: TestApp;
/** A files the documents; B has the patient's consent; C is the treating doctor. */
let a: TestSoftwareSession;
let b: TestSoftwareSession;
let c: TestSoftwareSession;
let patient: InsPatient;
let holder: Record<string, string>;

beforeAll(async () => {
  t = await startTestApp();
  [a, b, c] = [await softwareSession(t), await softwareSession(t), await softwareSession(t)];
  const account = await createTestAccount(t, { kind: 'patient' });
  patient = await withIns(t, account.patientId!);
  holder = headersOf(await loginFully(t, account));
  const now = new Date();
  for (const pro of [b, c]) await t.deps.db.insertInto('consent_declaration').values({ patient_id: patient.patientId, rpps: pro.rpps, declared_at: now }).execute();
  await t.deps.db.insertInto('professional_role').values({ patient_id: patient.patientId, rpps: c.rpps, role: 'MEDECIN_TRAITANT', declared_at: now }).execute();
});
afterAll(() => t.close());

beforeEach(async () => {
  await t.deps.db.deleteFrom('professional_block').where('patient_id', '=', patient.patientId).execute();
  await t.deps.db.updateTable('patient').set({ status: 'active' }).where('patient_id', '=', patient.patientId).execute();
});

let counter = 0;
async function fileOne(labels: string[] = ['N']): Promise<string> {
  counter++;
  const res = await postBundle(t, a.headers, bundleFor(patient, a.rpps, [{ bytes: buildPdf([`Document ${counter}`]), securityLabels: labels }]));
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().entry[1].response.location as string).split('/')[1]!;
}

const patch = (headers: Record<string, string>, id: string, operations: unknown[]) =>
  t.app.inject({
    method: 'PATCH',
    url: `/fhir/R4/DocumentReference/${id}`,
    headers: { ...headers, 'content-type': 'application/json-patch+json' },
    payload: JSON.stringify(operations),
  });

const MASK = { coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument', code: 'MASQUE_PS' }] };
const INVISIBLE = { coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument', code: 'INVISIBLE_PATIENT' }] };

async function find(headers: Record<string, string>, query: string) {
  const res = await t.app.inject({ url: `/fhir/R4/DocumentReference?patient=Patient/${patient.patientId}&status=current&_total=accurate&${query}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  const bundle = res.json();
  return { ids: (bundle.entry ?? []).map((e: { resource: { id: string } }) => e.resource.id) as string[], total: bundle.total as number };
}

describe('ITI-67 Find Document References', () => {
  it('requires the patient and the status', async () => {
    const noStatus = await t.app.inject({ url: `/fhir/R4/DocumentReference?patient=Patient/${patient.patientId}`, headers: a.headers });
    expect(noStatus.statusCode).toBe(400);
    expect(noStatus.json().issue[0].expression).toEqual(['status']);
    const noPatient = await t.app.inject({ url: '/fhir/R4/DocumentReference?status=current', headers: a.headers });
    expect(noPatient.statusCode).toBe(400);
  });

  it('finds by patient.identifier (the INS), category, type and author.identifier', async () => {
    const id = await fileOne();
    const byIns = await t.app.inject({
      url: `/fhir/R4/DocumentReference?patient.identifier=urn:oid:${patient.ins.oid}|${patient.ins.matricule}&status=current&category=10&type=http://loinc.org|11488-4&author.identifier=urn:oid:1.2.250.1.71.4.2.1|8${a.rpps}`,
      headers: b.headers,
    });
    expect(byIns.statusCode, byIns.body).toBe(200);
    expect(byIns.json().entry.map((e: { resource: { id: string } }) => e.resource.id)).toContain(id);
    const otherAuthor = await find(b.headers, `author.identifier=urn:oid:1.2.250.1.71.4.2.1|8${b.rpps}`);
    expect(otherAuthor.ids).not.toContain(id);
  });

  it('finds by creation (the content\'s creation date, PDSm)', async () => {
    const id = await fileOne();
    expect((await find(b.headers, 'creation=2026-03-02')).ids).toContain(id);
    expect((await find(b.headers, 'creation=ge2026-03-03')).ids).not.toContain(id);
  });
});

describe('PATCH of a DocumentReference', () => {
  it('masks a document from professionals: one with consent no longer finds it, nor counts it; the treating doctor does', async () => {
    const id = await fileOne();
    const before = await find(b.headers, 'category=10');
    expect(before.ids).toContain(id);
    const res = await patch(a.headers, id, [{ op: 'add', path: '/securityLabel/-', value: MASK }]);
    expect(res.statusCode, res.body).toBe(200);
    const after = await find(b.headers, 'category=10');
    expect(after.ids).not.toContain(id);
    expect(after.total).toBe(before.total - 1);
    expect((await find(c.headers, 'category=10')).ids).toContain(id);
    expect((await t.app.inject({ url: `/fhir/R4/DocumentReference/${id}`, headers: b.headers })).statusCode).toBe(404);
    const row = await t.deps.db.selectFrom('patient_document').select('confidentiality').where('document_id', '=', id).executeTakeFirstOrThrow();
    expect(row.confidentiality).toEqual(['N', 'MASQUE_PS']);
  });

  it('hides a document from the patient until its author announces it', async () => {
    const id = await fileOne(['N', 'INVISIBLE_PATIENT']);
    expect((await t.app.inject({ url: `/fhir/R4/DocumentReference/${id}`, headers: holder })).statusCode).toBe(404);
    expect((await find(holder, '')).ids).not.toContain(id);
    const announced = await patch(a.headers, id, [{ op: 'replace', path: '/securityLabel', value: [{ coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_A08-HL7Confidentiality/FHIR/TRE-A08-HL7Confidentiality', code: 'N' }] }] }]);
    expect(announced.statusCode, announced.body).toBe(200);
    expect((await t.app.inject({ url: `/fhir/R4/DocumentReference/${id}`, headers: holder })).statusCode).toBe(200);
    expect((await find(holder, '')).ids).toContain(id);
  });

  it('lets the holder mask but not hide from themselves; lets no other professional change it', async () => {
    const id = await fileOne();
    expect((await patch(holder, id, [{ op: 'add', path: '/securityLabel/-', value: MASK }])).statusCode).toBe(200);
    expect((await patch(holder, id, [{ op: 'add', path: '/securityLabel/-', value: INVISIBLE }])).statusCode).toBe(403);
    expect((await patch(c.headers, id, [{ op: 'replace', path: '/status', value: 'entered-in-error' }])).statusCode).toBe(403);
  });

  it('refuses a PATCH of anything else', async () => {
    const id = await fileOne();
    const res = await patch(a.headers, id, [{ op: 'add', path: '/description', value: 'Autre chose' }]);
    expect(res.statusCode, res.body).toBe(400);
  });

  it('deletes a document at its author\'s request: entered-in-error, gone from current searches', async () => {
    const id = await fileOne();
    const res = await patch(a.headers, id, [{ op: 'replace', path: '/status', value: 'entered-in-error' }]);
    expect(res.statusCode, res.body).toBe(200);
    expect((await find(c.headers, '')).ids).not.toContain(id);
    const row = await t.deps.db.selectFrom('patient_document').select('status').where('document_id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('entered-in-error');
  });

  it('archives a document (PDSm isArchived)', async () => {
    const id = await fileOne();
    const res = await patch(a.headers, id, [{ op: 'add', path: '/extension/-', value: { url: 'http://esante.gouv.fr/cisis/fhir/StructureDefinition/PDSm_isArchived', valueBoolean: true } }]);
    expect(res.statusCode, res.body).toBe(200);
    expect((await find(c.headers, 'isArchived=false')).ids).not.toContain(id);
    expect((await find(c.headers, 'isArchived=true')).ids).toContain(id);
  });
});

describe('the patient\'s controls over filing', () => {
  it('refuses filing to a blocked professional, and their reads, nothing stored', async () => {
    const id = await fileOne();
    await t.deps.db.insertInto('professional_block').values({ patient_id: patient.patientId, rpps: a.rpps, blocked_at: new Date() }).execute();
    const documents = await t.deps.db.selectFrom('patient_document').select('document_id').where('patient_id', '=', patient.patientId).execute();
    const res = await postBundle(t, a.headers, bundleFor(patient, a.rpps, [{ bytes: buildPdf(['Refusé']) }]));
    expect(res.statusCode, res.body).toBe(403);
    expect(await t.deps.db.selectFrom('patient_document').select('document_id').where('patient_id', '=', patient.patientId).execute()).toEqual(documents);
    expect(await t.deps.db.selectFrom('document_file_intent').selectAll().where('patient_id', '=', patient.patientId).execute()).toEqual([]);
    expect((await t.app.inject({ url: `/fhir/R4/DocumentReference/${id}`, headers: a.headers })).statusCode).toBe(403);
  });

  it('refuses filing into a closed space', async () => {
    await t.deps.db.updateTable('patient').set({ status: 'closed' }).where('patient_id', '=', patient.patientId).execute();
    const res = await postBundle(t, a.headers, bundleFor(patient, a.rpps, [{ bytes: buildPdf(['Fermé']) }]));
    expect(res.statusCode, res.body).toBe(403);
  });
});

describe('ITI-66 Find Document Lists', () => {
  it('shows each filer their own submission sets', async () => {
    await fileOne();
    const mine = await t.app.inject({ url: `/fhir/R4/List?patient=Patient/${patient.patientId}&code=submissionset`, headers: a.headers });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().entry.length).toBeGreaterThan(0);
    const theirs = await t.app.inject({ url: `/fhir/R4/List?patient=Patient/${patient.patientId}&code=submissionset`, headers: c.headers });
    expect(theirs.json().entry ?? []).toEqual([]);
  });
});

describe('scopes of the access token', () => {
  it('refuses what the token does not grant, before anything is read or written', async () => {
    const readOnly = { authorization: `Bearer ${await accessTokenFor(t, a.software, 'system/Patient.rs system/DocumentReference.rs')}` };
    const id = await fileOne();
    expect((await t.app.inject({ url: `/fhir/R4/DocumentReference/${id}`, headers: readOnly })).statusCode).toBe(200);
    const before = await t.deps.db.selectFrom('patient_document').select((e) => e.fn.countAll().as('n')).where('patient_id', '=', patient.patientId).executeTakeFirstOrThrow();
    const filing = await postBundle(t, readOnly, bundleFor(patient, a.rpps, [{ bytes: buildPdf(['Sans le droit de déposer']) }]));
    expect(filing.statusCode).toBe(403);
    expect(filing.headers['www-authenticate']).toContain('insufficient_scope');
    const after = await t.deps.db.selectFrom('patient_document').select((e) => e.fn.countAll().as('n')).where('patient_id', '=', patient.patientId).executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
    const masking = await patch(readOnly, id, [{ op: 'add', path: '/securityLabel/-', value: MASK }]);
    expect(masking.statusCode).toBe(403);
    expect((await t.app.inject({ url: `/fhir/R4/Binary/${id}`, headers: readOnly })).statusCode).toBe(403);
  });
});
