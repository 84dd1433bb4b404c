import type { Bundle, DocumentReference, List, OperationOutcome } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAccount, headersOf, loginFully, type TestAccount } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/database.ts';
import { CarnetError } from '../errors.ts';
import type { AccessContext } from '../patients/patient-access.ts';
import { noSuchRecord } from '../policy/authorize.ts';
import { storedResourceModule } from './fhir-store.routes.ts';
import type { ResourceAccess, ResourceChange } from './resource-access.ts';
import type { StoredResource } from './resource-store.service.ts';
import { everything, type SearchRestriction } from './search-restriction.ts';
import { aDocument, aList, CONFIDENTIALITY } from './test-fixtures.ts';

/**
 * A test-only policy: a patient reaches their own space; a professional reaches every space but
 * not documents masked from professionals, and may not delete. Every decision is audited, a
 * write's permit in the write's transaction.
 */
const MASKED: SearchRestriction = { kind: 'token', param: 'security-label', codes: [{ code: 'MASQUE_PS' }], negate: true };
const isMasked = (resource: unknown) =>
  ((resource as DocumentReference).securityLabel ?? []).some((label) => label.coding?.some((c) => c.code === 'MASQUE_PS'));

async function audit(db: Kysely<Database>, context: AccessContext, patientId: string, action: string, permit: boolean) {
  await recordAudit(db, {
    patientId,
    actorType: context.actor.kind,
    actorId: context.actor.accountId,
    action,
    resourceType: 'DocumentReference',
    resourceId: null,
    purpose: 'care',
    outcome: permit ? 'permit' : 'deny',
    reason: 'test',
    sourceIp: null,
  });
}

function decide(context: AccessContext, patientId: string, action: string, resource?: unknown): CarnetError | undefined {
  const { actor } = context;
  if (actor.kind === 'patient') return actor.patientId === patientId ? undefined : noSuchRecord();
  if (actor.kind !== 'professional') return noSuchRecord();
  if (action === 'delete') return new CarnetError('forbidden', 403, 'Access refused (test).');
  return resource !== undefined && isMasked(resource) ? noSuchRecord() : undefined;
}

const testAccess: ResourceAccess = {
  async read(context, stored) {
    const refusal = decide(context, stored.patientId, 'read', stored.resource);
    await audit(context.db, context, stored.patientId, 'read', refusal === undefined);
    if (refusal !== undefined) throw refusal;
  },
  async search(context, patientId) {
    const refusal = decide(context, patientId, 'search');
    await audit(context.db, context, patientId, 'search', refusal === undefined);
    if (refusal !== undefined) throw refusal;
    return context.actor.kind === 'patient' ? everything : MASKED;
  },
  async write<R>(context: AccessContext, change: ResourceChange, perform: (trx: Kysely<Database>) => Promise<R>) {
    const current = 'current' in change ? (change.current as StoredResource).resource : undefined;
    const refusal = decide(context, change.patientId, change.kind, current);
    if (refusal !== undefined) {
      await audit(context.db, context, change.patientId, change.kind, false);
      throw refusal;
    }
    return context.db.transaction().execute(async (trx) => {
      const result = await perform(trx);
      await audit(trx, context, change.patientId, change.kind, true);
      return result;
    });
  },
};

let t: TestApp;
let camille: TestAccount;
let camilleHeaders: Record<string, string>;
let lucas: TestAccount;
let lucasHeaders: Record<string, string>;
let doctorHeaders: Record<string, string>;

beforeAll(async () => {
  t = await startTestApp({
    fhirResources: [
      storedResourceModule({ resourceType: 'DocumentReference', access: testAccess }),
      storedResourceModule({ resourceType: 'List', access: testAccess, interactions: ['read', 'search-type', 'create'] }),
    ],
  });
  camille = await createTestAccount(t);
  lucas = await createTestAccount(t);
  const doctor = await createTestAccount(t, { kind: 'professional' });
  camilleHeaders = headersOf(await loginFully(t, camille));
  lucasHeaders = headersOf(await loginFully(t, lucas));
  doctorHeaders = headersOf(await loginFully(t, doctor));
});
afterAll(() => t.close());

const FHIR = { 'content-type': 'application/fhir+json' };
const post = (url: string, headers: Record<string, string>, payload: unknown, extra: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: `/fhir/R4/${url}`, headers: { ...headers, ...FHIR, ...extra }, payload: JSON.stringify(payload) });
const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url: `/fhir/R4/${url}`, headers });
const relativeOf = (absolute: string) => absolute.slice(absolute.indexOf('/fhir/R4/') + '/fhir/R4/'.length);
const auditCount = async (patientId: string, outcome: 'permit' | 'deny') =>
  (await t.deps.db.selectFrom('audit_entry').select('seq').where('patient_id', '=', patientId).where('outcome', '=', outcome).execute()).length;

describe('CapabilityStatement', () => {
  it('lists each stored type with exactly its interactions, its search parameters and Bundles', async () => {
    const statement = (await get('metadata', {})).json();
    const resources = statement.rest[0].resource as { type: string; interaction: { code: string }[]; searchParam?: { name: string }[] }[];
    const documents = resources.find((r) => r.type === 'DocumentReference')!;
    const lists = resources.find((r) => r.type === 'List')!;
    expect(documents.interaction.map((i) => i.code)).toEqual(['read', 'vread', 'history-instance', 'search-type', 'create', 'update', 'patch', 'delete']);
    expect(documents.searchParam?.map((p) => p.name)).toEqual(expect.arrayContaining(['category', 'date', 'filer', 'security-label', '_lastUpdated']));
    expect(lists.interaction.map((i) => i.code)).toEqual(['read', 'search-type', 'create']);
    expect(statement.rest[0].interaction).toEqual([{ code: 'transaction' }, { code: 'batch' }]);
  });
});

describe('create, read, update, patch, delete', () => {
  it('creates with Location, ETag and Last-Modified, and reads back the same version', async () => {
    const created = await post('DocumentReference', camilleHeaders, aDocument(camille.patientId!));
    expect(created.statusCode).toBe(201);
    expect(created.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const document = created.json() as DocumentReference;
    expect(created.headers.location).toBe(`${t.deps.config.baseUrl}/fhir/R4/DocumentReference/${document.id}/_history/1`);
    expect(created.headers.etag).toBe('W/"1"');
    expect(created.headers['last-modified']).toBe(new Date(document.meta!.lastUpdated!).toUTCString());

    const read = await get(`DocumentReference/${document.id}`, camilleHeaders);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('W/"1"');
    expect(read.json()).toEqual(document);
    expect((await get(`DocumentReference/${document.id}`, lucasHeaders)).statusCode).toBe(404);
  });

  it('updates with If-Match, and refuses a stale or malformed one', async () => {
    const document = (await post('DocumentReference', camilleHeaders, aDocument(camille.patientId!))).json() as DocumentReference;
    const put = (ifMatch: string, description: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/fhir/R4/DocumentReference/${document.id}`,
        headers: { ...camilleHeaders, ...FHIR, 'if-match': ifMatch },
        payload: JSON.stringify({ ...document, description }),
      });
    const updated = await put('W/"1"', 'Corrigé');
    expect(updated.statusCode).toBe(200);
    expect(updated.headers.etag).toBe('W/"2"');
    const stale = await put('W/"1"', 'Perdu');
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'conflict' }] });
    expect((await put('3', 'x')).statusCode).toBe(400);
    expect(((await get(`DocumentReference/${document.id}`, camilleHeaders)).json() as DocumentReference).description).toBe('Corrigé');
  });

  it('patches with a JSON Patch document, and only with that media type', async () => {
    const document = (await post('DocumentReference', camilleHeaders, aDocument(camille.patientId!))).json() as DocumentReference;
    const patch = (contentType: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/fhir/R4/DocumentReference/${document.id}`,
        headers: { ...camilleHeaders, 'content-type': contentType },
        payload: JSON.stringify([{ op: 'replace', path: '/description', value: 'Résumé' }]),
      });
    expect((await patch('application/json')).statusCode).toBe(415);
    const patched = await patch('application/json-patch+json');
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ description: 'Résumé', meta: { versionId: '2' } });
  });

  it('refuses an invalid resource with an OperationOutcome locating each problem', async () => {
    const invalid = { ...aDocument(camille.patientId!), status: 'lost', date: 'hier' };
    const res = await post('DocumentReference', camilleHeaders, invalid);
    expect(res.statusCode).toBe(400);
    const outcome = res.json() as OperationOutcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue.flatMap((i) => i.expression)).toEqual(expect.arrayContaining(['DocumentReference.status', 'DocumentReference.date']));
    const other = await post('DocumentReference', camilleHeaders, aDocument(lucas.patientId!));
    expect(other.statusCode).toBe(404);
    expect((await post('DocumentReference', camilleHeaders, { resourceType: 'List' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/fhir/R4/DocumentReference', headers: { ...camilleHeaders, 'content-type': 'text/plain' }, payload: 'x' })).statusCode).toBe(415);
  });

  it('creates once with If-None-Exist, then answers the existing resource', async () => {
    const identified = aDocument(camille.patientId!, { masterIdentifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.250.99.1' } });
    const condition = { 'if-none-exist': 'identifier=urn:ietf:rfc:3986|urn:oid:1.2.250.99.1' };
    const first = await post('DocumentReference', camilleHeaders, identified, condition);
    const second = await post('DocumentReference', camilleHeaders, identified, condition);
    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.json().id).toBe(first.json().id);
  });

  it('deletes: reads answer 410, the history and earlier versions remain', async () => {
    const document = (await post('DocumentReference', camilleHeaders, aDocument(camille.patientId!))).json() as DocumentReference;
    const deleted = await t.app.inject({ method: 'DELETE', url: `/fhir/R4/DocumentReference/${document.id}`, headers: camilleHeaders });
    expect(deleted.statusCode).toBe(204);
    expect((await get(`DocumentReference/${document.id}`, camilleHeaders)).statusCode).toBe(410);
    expect((await get(`DocumentReference/${document.id}/_history/1`, camilleHeaders)).json()).toEqual(document);
    const history = (await get(`DocumentReference/${document.id}/_history`, camilleHeaders)).json() as Bundle;
    expect(history.type).toBe('history');
    expect(history.entry?.map((e) => e.request?.method)).toEqual(['DELETE', 'POST']);
    // Whoever may not see the document learns nothing of its deletion.
    expect((await get(`DocumentReference/${document.id}`, lucasHeaders)).statusCode).toBe(404);
  });
});

describe('search', () => {
  it('pages with next links, the same for GET and POST _search, and refuses unknown parameters', async () => {
    const patientId = lucas.patientId!;
    for (let i = 0; i < 3; i++) await post('DocumentReference', lucasHeaders, aDocument(patientId, { description: `Résultat ${i}` }));
    const firstAnswer = await get(`DocumentReference?patient=${patientId}&_count=2&_total=accurate`, lucasHeaders);
    expect(firstAnswer.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const first = firstAnswer.json() as Bundle;
    expect(first).toMatchObject({ type: 'searchset', total: 3 });
    expect(first.entry?.[0]).toMatchObject({ fullUrl: expect.stringMatching(/\/fhir\/R4\/DocumentReference\/[0-9a-f-]+$/), search: { mode: 'match' } });
    expect(first.entry).toHaveLength(2);
    const next = first.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toBeDefined();
    const second = (await get(relativeOf(next!), lucasHeaders)).json() as Bundle;
    expect(second.entry).toHaveLength(1);
    expect(second.link?.some((l) => l.relation === 'next')).toBe(false);
    const seen = [...first.entry!, ...second.entry!].map((e) => e.resource?.id);
    expect(new Set(seen).size).toBe(3);

    const form = await t.app.inject({
      method: 'POST',
      url: '/fhir/R4/DocumentReference/_search?_count=2',
      headers: { ...lucasHeaders, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `patient=${patientId}&_total=accurate`,
    });
    expect(form.statusCode).toBe(200);
    expect((form.json() as Bundle).entry?.map((e) => e.resource?.id)).toEqual(first.entry!.map((e) => e.resource?.id));

    const unknown = await get(`DocumentReference?colour=blue`, lucasHeaders);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ expression: ['colour'] }] });
    // Another patient's space: not found, not an empty result.
    expect((await get(`DocumentReference?patient=${patientId}`, camilleHeaders)).statusCode).toBe(404);
  });

  it("counts and pages only what the caller may see, and reads a hidden document as absent", async () => {
    const patientId = (await createTestAccount(t)).patientId!;
    const filed = (overrides: Partial<DocumentReference>) => post('DocumentReference', doctorHeaders, aDocument(patientId, overrides));
    await filed({});
    const masked = (await filed({ securityLabel: [{ coding: [{ system: CONFIDENTIALITY, code: 'MASQUE_PS' }] }] })).json() as DocumentReference;
    const bundle = (await get(`DocumentReference?patient=${patientId}&_summary=count`, doctorHeaders)).json() as Bundle;
    expect(bundle).toMatchObject({ total: 1 });
    expect(bundle.entry).toEqual([]);
    expect((await get(`DocumentReference/${masked.id}`, doctorHeaders)).statusCode).toBe(404);
  });

  it('refuses a search that names no patient for a professional', async () => {
    const res = await get('DocumentReference?category=10', doctorHeaders);
    expect(res.statusCode).toBe(400);
  });
});

describe('Bundles', () => {
  const transaction = (entries: object[]) => ({ resourceType: 'Bundle', type: 'transaction', entry: entries });

  it('creates a list and its document together, rewriting the urn:uuid reference, and includes it', async () => {
    const patientId = camille.patientId!;
    const res = await post('', camilleHeaders, transaction([
      { fullUrl: 'urn:uuid:7f1c0000-0000-4000-8000-000000000001', resource: aList(patientId, []), request: { method: 'POST', url: 'List' } },
      { fullUrl: 'urn:uuid:7f1c0000-0000-4000-8000-000000000002', resource: aDocument(patientId, { description: 'Dans la liste' }), request: { method: 'POST', url: 'DocumentReference' } },
    ].map((entry, i) => (i === 0 ? { ...entry, resource: { ...entry.resource, entry: [{ item: { reference: 'urn:uuid:7f1c0000-0000-4000-8000-000000000002' } }] } } : entry))));
    expect(res.statusCode).toBe(200);
    const response = res.json() as Bundle;
    expect(response.type).toBe('transaction-response');
    expect(response.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created']);
    const [list, document] = response.entry!.map((e) => e.resource!) as [List, DocumentReference];
    expect(list.entry?.[0]?.item.reference).toBe(`DocumentReference/${document.id}`);
    expect(response.entry?.[1]?.response?.location).toBe(`DocumentReference/${document.id}/_history/1`);

    const included = (await get(`List?_id=${list.id}&_include=List:item`, camilleHeaders)).json() as Bundle;
    expect(included.entry?.map((e) => [e.resource?.resourceType, e.search?.mode])).toEqual([
      ['List', 'match'],
      ['DocumentReference', 'include'],
    ]);
  });

  it('writes nothing, and records no permit, when one entry of a transaction fails', async () => {
    const patientId = (await createTestAccount(t)).patientId!;
    const permitsBefore = await auditCount(patientId, 'permit');
    const res = await post('', doctorHeaders, transaction([
      { resource: aDocument(patientId), request: { method: 'POST', url: 'DocumentReference' } },
      { resource: { ...aDocument(patientId), status: 'lost' }, request: { method: 'POST', url: 'DocumentReference' } },
    ]));
    expect(res.statusCode).toBe(400);
    expect(res.json().issue[0].expression).toEqual(['Bundle.entry[1].resource.status']);
    expect((await get(`DocumentReference?patient=${patientId}&_summary=count`, doctorHeaders)).json()).toMatchObject({ total: 0 });
    // The search just made is audited; the rolled-back creation is not.
    expect(await auditCount(patientId, 'permit')).toBe(permitsBefore + 1);
  });

  it('records the refusal of a transaction entry, though the transaction rolled back', async () => {
    const patientId = (await createTestAccount(t)).patientId!;
    const document = (await post('DocumentReference', doctorHeaders, aDocument(patientId))).json() as DocumentReference;
    const res = await post('', doctorHeaders, transaction([
      { resource: aDocument(patientId), request: { method: 'POST', url: 'DocumentReference' } },
      { request: { method: 'DELETE', url: `DocumentReference/${document.id}` } },
    ]));
    expect(res.statusCode).toBe(403);
    expect(await auditCount(patientId, 'deny')).toBe(1);
    expect((await get(`DocumentReference?patient=${patientId}&_summary=count`, doctorHeaders)).json()).toMatchObject({ total: 1 });
  });

  it('serves each entry of a batch on its own', async () => {
    const patientId = camille.patientId!;
    const res = await post('', camilleHeaders, {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: aDocument(patientId), request: { method: 'POST', url: 'DocumentReference' } },
        { resource: { resourceType: 'List' }, request: { method: 'POST', url: 'List' } },
        { request: { method: 'DELETE', url: 'List/anything' } },
      ],
    });
    expect(res.statusCode).toBe(200);
    const response = res.json() as Bundle;
    expect(response.type).toBe('batch-response');
    expect(response.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '400', '400']);
    expect(response.entry?.[1]?.response?.outcome).toMatchObject({ resourceType: 'OperationOutcome' });
  });

  it('asks for a login', async () => {
    expect((await post('', {}, transaction([]))).statusCode).toBe(401);
    expect((await get('DocumentReference?category=1', {})).statusCode).toBe(401);
  });
});
