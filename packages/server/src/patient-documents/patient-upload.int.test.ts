import { createHash } from 'node:crypto';
import type { DocumentReference } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browserish, createTestAccount, headersOf, loginFully, type TestAccount } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { listAuditEntries } from '../audit/audit.service.ts';
import { documentTypeOf } from '../codes/document-types.ts';
import { buildPdf } from '../document-content/fixtures/pdf-builder.ts';
import { fileDocuments } from '../documents/document-filing.ts';
import { tinyPng } from '../document-content/fixtures/image-builder.ts';
import { FILED_BY_EXTENSION } from '../fhir-store/carnet-search-parameters.ts';
import { findResource } from '../fhir-store/resource-store.service.ts';
import type { ProfessionalActor } from '../policy/actor.ts';

const MAX_BYTES = 40_000;

let t: TestApp;
let holder: TestAccount;
let patient: Browserish;
let professional: Browserish;
let pid: string;

beforeAll(async () => {
  t = await startTestApp({ env: { CARNET_DOCUMENT_MAX_BYTES: String(MAX_BYTES) } });
  holder = await createTestAccount(t, { kind: 'patient' });
  pid = holder.patientId!;
  patient = await loginFully(t, holder);
  professional = await loginFully(t, await createTestAccount(t, { kind: 'professional' }));
});
afterAll(() => t.close());

const upload = (bytes: Uint8Array, contentType: string | undefined, query = 'title=Ordonnance%20du%20Dr%20Martin&category=ORD_SOIN', as = patient) =>
  t.app.inject({
    method: 'POST',
    url: `/api/patients/${pid}/documents?${query}`,
    headers: { ...headersOf(as), ...(contentType === undefined ? {} : { 'content-type': contentType }) },
    payload: Buffer.from(bytes),
  });

/** What the space holds: its documents, their FHIR resources, and files written for a filing in progress. */
const stored = async () => {
  const count = async (table: 'patient_document' | 'fhir_resource' | 'document_file_intent') =>
    Number(
      (await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('patient_id', '=', pid).executeTakeFirstOrThrow()).n,
    );
  return { documents: await count('patient_document'), resources: await count('fhir_resource'), intents: await count('document_file_intent') };
};

describe('adding a document of one’s own', () => {
  it('files a PDF as the holder’s, already read, under the category chosen, and serves it back byte for byte', async () => {
    const pdf = buildPdf(['Ordonnance', 'Amoxicilline 1 g matin et soir pendant 7 jours']);
    const res = await upload(pdf, 'application/pdf');
    expect(res.statusCode, res.body).toBe(201);
    const document = res.json();
    expect(document).toMatchObject({
      title: 'Ordonnance du Dr Martin',
      category: 'ORD_SOIN',
      type: { code: 'DOCPAT02' },
      author: { kind: 'patient', name: null },
      contentType: 'application/pdf',
      viewer: 'pdf',
      size: pdf.length,
      unread: false,
      masked: false,
      addedByPatient: true,
    });
    const content = await t.app.inject({ url: `/api/patients/${pid}/documents/${document.id}/content`, headers: headersOf(patient) });
    expect(content.headers['content-type']).toBe('application/pdf');
    expect(content.rawPayload.equals(Buffer.from(pdf))).toBe(true);
    expect(String(content.headers['content-security-policy'])).not.toContain('sandbox');

    const reference = await findResource<DocumentReference>(t.deps.db, { resourceType: 'DocumentReference', id: document.id, patientId: pid });
    expect(reference?.resource.extension).toContainEqual({
      url: FILED_BY_EXTENSION,
      valueIdentifier: { system: 'https://carnet.health/fhir/patient', value: pid },
    });
    const [entry] = await listAuditEntries(t.deps.db, pid, { limit: 1 });
    expect(entry).toMatchObject({ action: 'document.read', resourceId: document.id });
    const filings = (await listAuditEntries(t.deps.db, pid, { limit: 100 })).filter((e) => e.action === 'document.file');
    expect(filings).toHaveLength(1);
  });

  it('accepts an image without a declared type: the bytes say what it is', async () => {
    const res = await upload(tinyPng(), undefined, 'title=Radio&category=RADIO_SC');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ contentType: 'image/png', viewer: 'image', category: 'RADIO_SC' });
  });

  it('refuses a file whose bytes are not what it claims, HTML in any guise, and a file over the limit, storing nothing', async () => {
    const before = await stored();
    const pdf = buildPdf(['Compte rendu']);
    const html = new TextEncoder().encode('<!doctype html><html><body><script>alert(1)</script></body></html>');
    for (const [bytes, type] of [
      [pdf, 'image/png'],
      [html, 'text/html'],
      [html, 'text/plain'],
      [tinyPng(), 'application/pdf'],
    ] as const) {
      const res = await upload(bytes, type);
      expect(res.statusCode, `${type}: ${res.body}`).toBe(415);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
    const big = await upload(new TextEncoder().encode('a'.repeat(MAX_BYTES + 1)), 'text/plain');
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toContain(String(MAX_BYTES));
    expect(await stored()).toEqual(before);
  });

  it('needs a title and a category, and a folder of the holder’s own', async () => {
    const pdf = buildPdf(['x']);
    expect((await upload(pdf, 'application/pdf', 'category=ORD_SOIN')).statusCode).toBe(400);
    expect((await upload(pdf, 'application/pdf', 'title=x&category=NOPE')).statusCode).toBe(400);
    const folder = await upload(pdf, 'application/pdf', 'title=x&category=ORD_SOIN&folderId=3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f');
    expect(folder.statusCode).toBe(400);
  });

  it('refuses a professional’s filing through the patient app', async () => {
    const res = await upload(buildPdf(['x']), 'application/pdf', undefined, professional);
    expect(res.statusCode).toBe(403);
  });
});

/** A document filed by a professional's software for the holder, through the filing service. */
async function fileProfessionalDocument(title: string): Promise<string> {
  const account = await createTestAccount(t, { kind: 'professional' });
  const row = await t.deps.db.selectFrom('professional').selectAll().where('professional_id', '=', account.professionalId!).executeTakeFirstOrThrow();
  const actor: ProfessionalActor = {
    kind: 'professional',
    accountId: account.accountId,
    professionalId: row.professional_id,
    rpps: row.rpps,
    professionCode: row.profession_code,
    specialtyCode: row.specialty_code,
    organizationId: null,
  };
  const bytes = buildPdf([title]);
  const type = documentTypeOf('11488-4')!;
  const { documents } = await fileDocuments(t.deps, { db: t.deps.db, actor, clock: t.deps.clock }, {
    patientId: pid,
    documents: [
      {
        resource: { resourceType: 'DocumentReference', type: { coding: [{ system: type.system, code: type.code, display: type.display }] } },
        content: { bytes, contentType: 'application/pdf', sha1: createHash('sha1').update(bytes).digest('base64') },
        masterIdentifier: `2.25.${Date.now()}${Math.floor(Math.random() * 1e6)}`,
        title,
        type: { ...type, category: 'CPT_REND' },
        documentDate: '2026-03-01T10:00:00.000Z',
        securityLabels: ['N'],
        authorName: 'Dr Sacha ESSAI',
        organizationName: null,
      },
    ],
  });
  return documents[0]!.documentId;
}

const labelsOf = async (documentId: string) => {
  const stored = await findResource<DocumentReference>(t.deps.db, { resourceType: 'DocumentReference', id: documentId, patientId: pid });
  return stored?.resource.securityLabel?.flatMap((l) => l.coding?.map((c) => c.code) ?? []) ?? [];
};

describe('masking a document from professionals', () => {
  it('labels the DocumentReference MASQUE_PS with the patient’s view, and takes the label off again', async () => {
    const documentId = await fileProfessionalDocument('Compte rendu de consultation');
    const patch = (masked: boolean) =>
      t.app.inject({ method: 'PATCH', url: `/api/patients/${pid}/documents/${documentId}`, headers: headersOf(patient), payload: { masked } });
    const masked = await patch(true);
    expect(masked.statusCode, masked.body).toBe(200);
    expect(masked.json()).toMatchObject({ masked: true, addedByPatient: false, author: { kind: 'professional', name: 'Dr Sacha ESSAI' } });
    expect(await labelsOf(documentId)).toContain('MASQUE_PS');
    const list = await t.app.inject({ url: `/api/patients/${pid}/documents?category=CPT_REND`, headers: headersOf(patient) });
    expect(list.json().documents.find((d: { id: string }) => d.id === documentId).masked).toBe(true);
    const unmasked = await patch(false);
    expect(unmasked.json().masked).toBe(false);
    expect(await labelsOf(documentId)).not.toContain('MASQUE_PS');
  });
});

describe('what the holder may do with their own documents only', () => {
  it('renames and recategorises their own document, which the search then finds by its new title', async () => {
    const added = (await upload(new TextEncoder().encode('Tension 12/8.\n'), 'text/plain', 'title=Notes&category=AUTR_DOC')).json();
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/patients/${pid}/documents/${added.id}`,
      headers: headersOf(patient),
      payload: { title: 'Relevés de tension artérielle', category: 'SYNTHESE' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ title: 'Relevés de tension artérielle', category: 'SYNTHESE' });
    const found = await t.app.inject({ url: `/api/patients/${pid}/documents?q=relev%C3%A9`, headers: headersOf(patient) });
    expect(found.json().documents.map((d: { id: string }) => d.id)).toEqual([added.id]);
  });

  it('deletes their own document, and not a professional’s', async () => {
    const added = (await upload(new TextEncoder().encode('À supprimer.\n'), 'text/plain', 'title=Brouillon&category=AUTR_DOC')).json();
    const del = await t.app.inject({ method: 'DELETE', url: `/api/patients/${pid}/documents/${added.id}`, headers: headersOf(patient) });
    expect(del.statusCode).toBe(204);
    const gone = await t.app.inject({ url: `/api/patients/${pid}/documents/${added.id}`, headers: headersOf(patient) });
    expect(gone.statusCode).toBe(404);
    const reference = await findResource<DocumentReference>(t.deps.db, { resourceType: 'DocumentReference', id: added.id, patientId: pid });
    expect(reference?.resource.status).toBe('entered-in-error');

    const documentId = await fileProfessionalDocument('Compte rendu du Dr Bernard');
    const refused = await t.app.inject({ method: 'DELETE', url: `/api/patients/${pid}/documents/${documentId}`, headers: headersOf(patient) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('not_own_document');
    expect((await t.app.inject({ url: `/api/patients/${pid}/documents/${documentId}`, headers: headersOf(patient) })).statusCode).toBe(200);
  });
});
