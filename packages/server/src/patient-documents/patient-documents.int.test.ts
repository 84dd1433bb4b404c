import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browserish, createTestAccount, headersOf, loginFully, type TestAccount } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { listAuditEntries } from '../audit/audit.service.ts';
import { buildCdaN1, buildCdaN3, CONSULTATION_SECTIONS } from '../document-content/fixtures/cda-builder.ts';
import { buildPdf } from '../document-content/fixtures/pdf-builder.ts';
import { seedDocument } from './test-documents.ts';

let t: TestApp;
let holder: TestAccount;
let patient: Browserish;
let otherPatient: Browserish;
let professional: Browserish;
let operator: Browserish;
let pid: string;

beforeAll(async () => {
  t = await startTestApp();
  holder = await createTestAccount(t, { kind: 'patient' });
  pid = holder.patientId!;
  patient = await loginFully(t, holder);
  otherPatient = await loginFully(t, await createTestAccount(t, { kind: 'patient' }));
  professional = await loginFully(t, await createTestAccount(t, { kind: 'professional' }));
  operator = await loginFully(t, await createTestAccount(t, { kind: 'operator' }));
});
afterAll(() => t.close());

const get = (url: string, as: Browserish = patient) => t.app.inject({ url, headers: headersOf(as) });
const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, as: Browserish = patient) =>
  t.app.inject({ method, url, headers: headersOf(as), ...(payload === undefined ? {} : { payload }) });
const chain = async () => listAuditEntries(t.deps.db, pid, { limit: 1000 });
const documents = (query = '') => get(`/api/patients/${pid}/documents${query}`);
const titles = async (query = '') => ((await documents(query)).json().documents as { title: string }[]).map((d) => d.title);

describe('the list of the holder’s documents', () => {
  let lab: string;
  let hidden: string;
  beforeAll(async () => {
    ({ documentId: lab } = await seedDocument(t.deps, pid, {
      title: 'Bilan sanguin',
      category: 'BIOLOGIE',
      type_code: '11502-2',
      type_display: 'CR d’examens biologiques',
      document_date: '2026-02-01T08:00:00Z',
      extracted_text: 'Hémoglobine normale. Cholestérol légèrement élevé.',
    }));
    await seedDocument(t.deps, pid, {
      title: 'Radiographie du thorax',
      category: 'RADIO_SC',
      type_code: '18748-4',
      type_display: 'CR d’imagerie médicale',
      document_date: '2026-01-20T08:00:00Z',
    });
    await seedDocument(t.deps, pid, { title: 'Consultation de cardiologie', document_date: '2026-01-05T08:00:00Z' });
    ({ documentId: hidden } = await seedDocument(t.deps, pid, {
      title: 'Résultat en attente d’annonce',
      category: 'BIOLOGIE',
      confidentiality: ['N', 'INVISIBLE_PATIENT'],
      document_date: '2026-02-02T08:00:00Z',
    }));
    await seedDocument(t.deps, pid, { title: 'Ancienne version', status: 'superseded', document_date: '2026-02-03T08:00:00Z' });
    await seedDocument(t.deps, pid, { title: 'Type inconnu', category: 'SOMETHING_ELSE', document_date: '2025-12-01T08:00:00Z' });
  });

  it('lists the current documents newest first, with author, organisation, date and an unread marker', async () => {
    const res = await documents();
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const list = res.json();
    expect(list.documents.map((d: { title: string }) => d.title)).toEqual([
      'Bilan sanguin',
      'Radiographie du thorax',
      'Consultation de cardiologie',
      'Type inconnu',
    ]);
    expect(list.documents[0]).toMatchObject({
      id: lab,
      category: 'BIOLOGIE',
      type: { code: '11502-2', display: 'CR d’examens biologiques' },
      date: '2026-02-01T08:00:00.000Z',
      author: { kind: 'professional', name: 'Dr Claire BERNARD' },
      organization: 'Centre hospitalier de démonstration',
      viewer: 'text',
      unread: true,
      pinned: false,
      masked: false,
      addedByPatient: false,
    });
    expect(list.documents[3].category).toBe('AUTR_DOC');
    expect(list.next).toBeNull();
  });

  it('counts the documents of each category, unknown categories under “Autres”, hidden ones nowhere', async () => {
    const { counts } = (await documents('?category=RADIO_SC')).json();
    expect(counts).toEqual({
      SYNTHESE: 0,
      ORD_SOIN: 0,
      RADIO_SC: 1,
      BIOLOGIE: 1,
      CPT_REND: 1,
      DEPISTAG: 0,
      CERT_MED: 0,
      DOC_ADM: 0,
      AUTR_DOC: 1,
    });
    expect(await titles('?category=BIOLOGIE')).toEqual(['Bilan sanguin']);
  });

  it('keeps a document not yet announced out of the holder’s sight, as if it did not exist', async () => {
    const res = await get(`/api/patients/${pid}/documents/${hidden}`);
    expect(res.statusCode).toBe(404);
    expect((await get(`/api/patients/${pid}/documents/${hidden}/content`)).statusCode).toBe(404);
    expect((await send('PATCH', `/api/patients/${pid}/documents/${hidden}`, { pinned: true })).statusCode).toBe(404);
  });

  it('finds documents in French by a word of the title or of the text, whatever its inflection', async () => {
    expect(await titles('?q=radiographies')).toEqual(['Radiographie du thorax']);
    expect(await titles('?q=cholestérol')).toEqual(['Bilan sanguin']);
    expect(await titles(`?q=${encodeURIComponent('"examens biologiques"')}`)).toEqual(['Bilan sanguin']);
    expect(await titles('?q=cardiologie%20-radiographie')).toEqual(['Consultation de cardiologie']);
    const { counts } = (await documents('?q=radiographie')).json();
    expect(counts.RADIO_SC).toBe(1);
    expect(counts.BIOLOGIE).toBe(0);
  });

  it('pages with an opaque cursor, and refuses one it did not give', async () => {
    const first = (await documents('?limit=3')).json();
    expect(first.documents).toHaveLength(3);
    const second = (await documents(`?limit=3&cursor=${first.next}`)).json();
    expect(second.documents.map((d: { title: string }) => d.title)).toEqual(['Type inconnu']);
    expect(second.next).toBeNull();
    const bad = await documents('?cursor=bm90LWEtY3Vyc29y');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('records the list as one search, and a document’s read and its content’s read each once', async () => {
    const before = (await chain()).length;
    await documents();
    await get(`/api/patients/${pid}/documents/${lab}`);
    await get(`/api/patients/${pid}/documents/${lab}/content`);
    const entries = (await chain()).slice(0, (await chain()).length - before);
    expect(entries.map((e) => [e.action, e.resourceId, e.outcome])).toEqual([
      ['document.read', lab, 'permit'],
      ['document.read', lab, 'permit'],
      ['document.search', null, 'permit'],
    ]);
  });
});

describe('who may use the holder’s documents API', () => {
  let documentId: string;
  beforeAll(async () => {
    ({ documentId } = await seedDocument(t.deps, pid, { title: 'Ordonnance' }));
  });

  it('answers another patient and operator staff as if the space did not exist, and a professional 403, each audited', async () => {
    const urls = [
      `/api/patients/${pid}/documents`,
      `/api/patients/${pid}/documents/${documentId}`,
      `/api/patients/${pid}/documents/${documentId}/content`,
      `/api/patients/${pid}/folders`,
      `/api/patients/${pid}/stays`,
    ];
    for (const url of urls) {
      expect((await get(url, otherPatient)).statusCode, url).toBe(404);
      expect((await get(url, operator)).statusCode, url).toBe(404);
      expect((await get(url, professional)).statusCode, url).toBe(403);
    }
    const changes = [
      send('PATCH', `/api/patients/${pid}/documents/${documentId}`, { pinned: true }, otherPatient),
      send('PATCH', `/api/patients/${pid}/documents/${documentId}`, { pinned: true }, professional),
      send('DELETE', `/api/patients/${pid}/documents/${documentId}`, undefined, operator),
      send('POST', `/api/patients/${pid}/folders`, { name: 'Intrus' }, professional),
    ];
    expect((await Promise.all(changes)).map((r) => r.statusCode)).toEqual([404, 403, 404, 403]);
    const denials = (await chain()).filter((e) => e.outcome === 'deny' && e.reason !== 'hidden-from-patient');
    expect(denials.length).toBeGreaterThanOrEqual(urls.length * 3 + 4);
    expect(denials.some((e) => e.actorType === 'professional' && e.reason === 'holder-only')).toBe(true);
    const { pinned } = (await get(`/api/patients/${pid}/documents/${documentId}`)).json();
    expect(pinned).toBe(false);
    expect(await t.deps.db.selectFrom('document_folder').where('patient_id', '=', pid).where('name', '=', 'Intrus').execute()).toEqual([]);
  });

  it('asks anyone not logged in to log in', async () => {
    const res = await t.app.inject({ url: `/api/patients/${pid}/documents` });
    expect(res.statusCode).toBe(401);
  });
});

describe('the content of a document', () => {
  it('serves the original bytes under their sniffed type, inline, framable only by the app, with a safe name', async () => {
    const bytes = new TextEncoder().encode('Prendre 1 comprimé matin et soir.\n');
    const { documentId } = await seedDocument(t.deps, pid, { title: 'Ordonnance "Dr/Martin"\r\n../x', bytes });
    const res = await get(`/api/patients/${pid}/documents/${documentId}/content`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(Buffer.from(bytes))).toBe(true);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['cache-control']).toBe('no-store');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain('sandbox');
    const disposition = String(res.headers['content-disposition']);
    expect(disposition).toMatch(/^inline; filename="Ordonnance _Dr_Martin_\.\._x\.txt"; filename\*=UTF-8''/);
    expect(disposition).not.toMatch(/[\r\n]/);
    const download = await get(`/api/patients/${pid}/documents/${documentId}/content?download=1`);
    expect(String(download.headers['content-disposition'])).toMatch(/^attachment; /);
  });

  it('gives a document a browser cannot show safely as an attachment only', async () => {
    const { documentId } = await seedDocument(t.deps, pid, {
      title: 'Courrier',
      content_type: 'text/rtf',
      bytes: new TextEncoder().encode('{\\rtf1 Courrier}'),
    });
    const res = await get(`/api/patients/${pid}/documents/${documentId}/content`);
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="Courrier\.rtf"/);
    expect((await get(`/api/patients/${pid}/documents/${documentId}`)).json().viewer).toBe('download');
  });

  it('renders a CDA document’s narrative as HTML without any of the document’s own markup', async () => {
    const cda = buildCdaN3({
      title: 'Compte rendu de consultation',
      sections: [
        ...CONSULTATION_SECTIONS,
        { title: 'Piège', narrativeXml: '<text><paragraph>Texte <content styleCode="Bold">important</content></paragraph></text>' },
      ],
    });
    const { documentId } = await seedDocument(t.deps, pid, { content_type: 'text/xml', bytes: new TextEncoder().encode(cda) });
    expect((await get(`/api/patients/${pid}/documents/${documentId}`)).json().viewer).toBe('cda');
    const res = await get(`/api/patients/${pid}/documents/${documentId}/view`);
    expect(res.statusCode).toBe(200);
    const { html } = res.json();
    expect(html).toContain('Compte rendu de consultation');
    expect(html).toContain('important');
    expect(html).not.toMatch(/<script|ClinicalDocument|onerror=/i);
    expect(res.json().embedded).toBeNull();
    const notCda = await seedDocument(t.deps, pid, {});
    expect((await get(`/api/patients/${pid}/documents/${notCda.documentId}/view`)).statusCode).toBe(409);
    expect((await get(`/api/patients/${pid}/documents/${documentId}/view/embedded`)).statusCode).toBe(409);
  });

  it('shows the PDF a level 1 CDA wraps, under the type its bytes show', async () => {
    const pdf = buildPdf(['Résultats de biologie', 'Glycémie à jeun : 0,92 g/L']);
    const cda = buildCdaN1({ title: 'Résultats de biologie', pdf });
    const { documentId } = await seedDocument(t.deps, pid, { title: 'Biologie', content_type: 'text/xml', bytes: new TextEncoder().encode(cda) });
    const view = (await get(`/api/patients/${pid}/documents/${documentId}/view`)).json();
    expect(view.embedded).toEqual({ contentType: 'application/pdf', viewer: 'pdf' });
    const embedded = await get(`/api/patients/${pid}/documents/${documentId}/view/embedded`);
    expect(embedded.statusCode).toBe(200);
    expect(embedded.headers['content-type']).toBe('application/pdf');
    expect(String(embedded.headers['content-disposition'])).toMatch(/^inline; filename="Biologie\.pdf"/);
    expect(embedded.rawPayload.equals(Buffer.from(pdf))).toBe(true);
    const reads = (await chain()).filter((e) => e.action === 'document.read' && e.resourceId === documentId);
    expect(reads).toHaveLength(2);
  });
});

describe('the holder’s organisation of their documents', () => {
  let documentId: string;
  beforeAll(async () => {
    ({ documentId } = await seedDocument(t.deps, pid, { title: 'Compte rendu opératoire' }));
  });
  const patch = (payload: object) => send('PATCH', `/api/patients/${pid}/documents/${documentId}`, payload);

  it('pins, marks read and unread, and records each change with its audit entry', async () => {
    const before = (await chain()).length;
    const res = await patch({ pinned: true, read: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ pinned: true, unread: false });
    expect(await titles('?pinned=true')).toContain('Compte rendu opératoire');
    expect((await patch({ read: false })).json().unread).toBe(true);
    const entries = (await chain()).slice(0, (await chain()).length - before);
    expect(entries.filter((e) => e.action === 'document.manage' && e.resourceId === documentId)).toHaveLength(2);
  });

  it('refuses to rename a professional’s document or to file it in a folder that is not the holder’s, changing nothing', async () => {
    const rename = await patch({ title: 'Autre titre', pinned: false });
    expect(rename.statusCode).toBe(403);
    expect(rename.json().code).toBe('not_own_document');
    const folder = await patch({ folderId: '3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f' });
    expect(folder.statusCode).toBe(400);
    for (const payload of [{}, { title: '' }, { category: 'NOPE' }, { patientId: pid }, { masked: 'yes' }]) {
      expect((await patch(payload)).statusCode, JSON.stringify(payload)).toBe(400);
    }
    const after = (await get(`/api/patients/${pid}/documents/${documentId}`)).json();
    expect(after).toMatchObject({ title: 'Compte rendu opératoire', pinned: true, folderId: null });
  });

  it('keeps folders: create, rename, file a document, count it, delete the folder but not the document', async () => {
    const created = await send('POST', `/api/patients/${pid}/folders`, { name: '  Cardiologie  ' });
    expect(created.statusCode).toBe(201);
    const folder = created.json();
    expect(folder).toMatchObject({ name: 'Cardiologie', documentCount: 0 });
    expect((await patch({ folderId: folder.id })).json().folderId).toBe(folder.id);
    expect(await titles(`?folder=${folder.id}`)).toEqual(['Compte rendu opératoire']);
    const renamed = await send('PATCH', `/api/patients/${pid}/folders/${folder.id}`, { name: 'Cœur' });
    expect(renamed.json()).toEqual({ id: folder.id, name: 'Cœur', documentCount: 1 });
    expect((await get(`/api/patients/${pid}/folders`)).json()).toEqual([{ id: folder.id, name: 'Cœur', documentCount: 1 }]);
    expect((await send('DELETE', `/api/patients/${pid}/folders/${folder.id}`)).statusCode).toBe(204);
    expect((await get(`/api/patients/${pid}/folders`)).json()).toEqual([]);
    expect((await get(`/api/patients/${pid}/documents/${documentId}`)).json().folderId).toBeNull();
    expect((await send('DELETE', `/api/patients/${pid}/folders/${folder.id}`)).statusCode).toBe(404);
  });

  it('keeps hospital stays and links documents to them', async () => {
    const bad = await send('POST', `/api/patients/${pid}/stays`, { label: 'Séjour', start: '2026-02-10', end: '2026-02-01' });
    expect(bad.statusCode).toBe(400);
    const res = await send('POST', `/api/patients/${pid}/stays`, { label: 'Hôpital Necker', start: '2026-02-01', end: '2026-02-05' });
    expect(res.statusCode).toBe(201);
    const stay = res.json();
    expect((await patch({ stayId: stay.id })).json().stayId).toBe(stay.id);
    expect(await titles(`?stay=${stay.id}`)).toEqual(['Compte rendu opératoire']);
    expect((await get(`/api/patients/${pid}/stays`)).json()).toEqual([
      { id: stay.id, label: 'Hôpital Necker', start: '2026-02-01', end: '2026-02-05', documentCount: 1 },
    ]);
    const changed = await send('PATCH', `/api/patients/${pid}/stays/${stay.id}`, { label: 'Hôpital Necker', start: '2026-02-01', end: null });
    expect(changed.json()).toMatchObject({ end: null, documentCount: 1 });
    expect((await send('DELETE', `/api/patients/${pid}/stays/${stay.id}`)).statusCode).toBe(204);
    expect((await get(`/api/patients/${pid}/documents/${documentId}`)).json().stayId).toBeNull();
  });
});
