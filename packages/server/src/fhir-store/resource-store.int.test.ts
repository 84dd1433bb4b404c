import type { DocumentReference } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { CarnetError } from '../errors.ts';
import { InvalidResource } from './fhir-store.errors.ts';
import {
  conditionalCreate,
  createResource,
  deleteResource,
  findResource,
  patchResource,
  readResource,
  readVersion,
  resourceHistory,
  updateResource,
} from './resource-store.service.ts';
import { everything } from './search-restriction.ts';
import { aDocument, insertPatient } from './test-fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const statusOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CarnetError) return error.status;
    throw error;
  }
  return 200;
};

describe('create and read', () => {
  it('stores a document as version 1 under a new id, and reads it back by type and id alone', async () => {
    const patientId = await insertPatient(t.deps.db);
    const created = await createResource(t.deps.db, patientId, aDocument(patientId, { id: 'chosen-by-client' }));
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.resource.meta).toMatchObject({ versionId: '1', lastUpdated: created.lastUpdated.toISOString() });

    const read = await readResource<DocumentReference>(t.deps.db, { resourceType: 'DocumentReference', id: created.id });
    expect(read.patientId).toBe(patientId);
    expect(read.resource).toEqual(created.resource);
    expect(read.resource.description).toBe('Lettre de sortie du service de cardiologie');
  });

  it('refuses a second creation under an id already taken, in any space, and keeps the first whole', async () => {
    const [first, other] = [await insertPatient(t.deps.db), await insertPatient(t.deps.db)];
    const created = await createResource(t.deps.db, first, aDocument(first, { description: 'Premier' }));
    await expect(createResource(t.deps.db, other, aDocument(other, { description: 'Second' }), { id: created.id })).rejects.toThrow();
    const found = await findResource(t.deps.db, { resourceType: 'DocumentReference', id: created.id });
    expect(found).toMatchObject({ patientId: first, versionId: 1, resource: { description: 'Premier' } });
    const versions = await t.deps.db.selectFrom('fhir_resource_version').select('patient_id').where('id', '=', created.id).execute();
    expect(versions).toEqual([{ patient_id: first }]);
  });

  it('answers 404 for an unknown id and for an id of another type', async () => {
    const patientId = await insertPatient(t.deps.db);
    const created = await createResource(t.deps.db, patientId, aDocument(patientId));
    expect(await statusOf(readResource(t.deps.db, { resourceType: 'List', id: created.id }))).toBe(404);
    expect(await statusOf(readResource(t.deps.db, { resourceType: 'DocumentReference', id: '3b0e1c1e-0000-4000-8000-000000000000' }))).toBe(404);
    expect(await statusOf(readResource(t.deps.db, { resourceType: 'DocumentReference', id: 'not an id!' }))).toBe(404);
  });

  it('refuses an invalid document, naming where each problem is, and stores nothing', async () => {
    const patientId = await insertPatient(t.deps.db);
    const invalid = { ...aDocument(patientId), status: undefined, date: 'yesterday', colour: 'blue' } as unknown as DocumentReference;
    const error = await createResource(t.deps.db, patientId, invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResource);
    const locations = (error as InvalidResource).issues.flatMap((issue) => issue.expression ?? []);
    expect(locations).toEqual(expect.arrayContaining(['DocumentReference.status', 'DocumentReference.date', 'DocumentReference.colour']));
    const rows = await t.deps.db.selectFrom('fhir_resource').select('id').where('patient_id', '=', patientId).execute();
    expect(rows).toEqual([]);
  });

  it("refuses a document naming another patient, anywhere in it (mass assignment, C3)", async () => {
    const patientId = await insertPatient(t.deps.db);
    const other = await insertPatient(t.deps.db);
    const asSubject = createResource(t.deps.db, patientId, aDocument(other));
    const asAuthor = createResource(t.deps.db, patientId, aDocument(patientId, { author: [{ reference: `https://ailleurs.test/fhir/Patient/${other}` }] }));
    const e1 = await asSubject.catch((e: unknown) => e);
    const e2 = await asAuthor.catch((e: unknown) => e);
    expect((e1 as InvalidResource).issues[0]?.expression).toEqual(['DocumentReference.subject']);
    expect((e2 as InvalidResource).issues[0]?.expression).toEqual(['DocumentReference.author[0]']);
    expect((e1 as InvalidResource).status).toBe(400);
  });
});

describe('versions', () => {
  it('updates to version 2 with the right If-Match version, and refuses a stale one with 412', async () => {
    const patientId = await insertPatient(t.deps.db);
    const created = await createResource(t.deps.db, patientId, aDocument(patientId));
    const key = { resourceType: 'DocumentReference', id: created.id };
    const updated = await updateResource(t.deps.db, key, { ...created.resource, description: 'Version corrigée' }, { expectedVersion: 1 });
    expect(updated.versionId).toBe(2);
    expect(updated.resource.meta?.versionId).toBe('2');

    expect(await statusOf(updateResource(t.deps.db, key, { ...created.resource, description: 'Perdue' }, { expectedVersion: 1 }))).toBe(412);
    const current = await readResource<DocumentReference>(t.deps.db, key);
    expect(current.resource.description).toBe('Version corrigée');
  });

  it('keeps every version: vread of each, and the history newest first, paged', async () => {
    const patientId = await insertPatient(t.deps.db);
    const created = await createResource(t.deps.db, patientId, aDocument(patientId, { description: 'v1' }));
    const key = { resourceType: 'DocumentReference', id: created.id, patientId };
    for (const description of ['v2', 'v3', 'v4']) {
      const current = await readResource<DocumentReference>(t.deps.db, key);
      await updateResource(t.deps.db, key, { ...current.resource, description });
    }
    expect((await readVersion<DocumentReference>(t.deps.db, key, 2)).resource.description).toBe('v2');
    expect(await statusOf(readVersion(t.deps.db, key, 9))).toBe(404);

    const first = await resourceHistory<DocumentReference>(t.deps.db, key, { count: 3 });
    expect(first.versions.map((v) => v.resource?.description)).toEqual(['v4', 'v3', 'v2']);
    const second = await resourceHistory<DocumentReference>(t.deps.db, key, { count: 3, before: first.nextBefore });
    expect(second.versions.map((v) => v.resource?.description)).toEqual(['v1']);
    expect(second.nextBefore).toBeUndefined();
  });

  it('deletes as a new version: reads answer 410, the history keeps the deletion and what came before', async () => {
    const patientId = await insertPatient(t.deps.db);
    const created = await createResource(t.deps.db, patientId, aDocument(patientId));
    const key = { resourceType: 'DocumentReference', id: created.id };
    const deleted = await deleteResource(t.deps.db, key);
    expect(deleted.versionId).toBe(2);
    expect(await statusOf(readResource(t.deps.db, key))).toBe(410);
    expect((await findResource(t.deps.db, key))?.deleted).toBe(true);
    expect(await statusOf(updateResource(t.deps.db, key, created.resource))).toBe(410);
    // Deleting again changes nothing.
    expect((await deleteResource(t.deps.db, key)).versionId).toBe(2);
    const history = await resourceHistory(t.deps.db, { ...key, patientId }, { count: 10 });
    expect(history.versions.map((v) => [v.versionId, v.deleted])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(await statusOf(readVersion(t.deps.db, { ...key, patientId }, 2))).toBe(410);
  });
});

describe('JSON Patch', () => {
  it('applies test, replace, add, copy, move and remove as one change', async () => {
    const patientId = await insertPatient(t.deps.db);
    const created = await createResource(t.deps.db, patientId, aDocument(patientId));
    const patched = await patchResource<DocumentReference>(t.deps.db, { resourceType: 'DocumentReference', id: created.id }, [
      { op: 'test', path: '/status', value: 'current' },
      { op: 'replace', path: '/description', value: 'Compte rendu opératoire' },
      { op: 'add', path: '/author', value: [{ display: 'Dr Martin' }] },
      { op: 'copy', from: '/author/0', path: '/author/-' },
      { op: 'move', from: '/author/1', path: '/authenticator' },
      { op: 'remove', path: '/securityLabel' },
    ]);
    expect(patched.versionId).toBe(2);
    expect(patched.resource).toMatchObject({ description: 'Compte rendu opératoire', author: [{ display: 'Dr Martin' }], authenticator: { display: 'Dr Martin' } });
    expect(patched.resource.securityLabel).toBeUndefined();
  });

  it('changes nothing when a test fails (409), a path is missing (422), or the result is invalid (400)', async () => {
    const patientId = await insertPatient(t.deps.db);
    const created = await createResource(t.deps.db, patientId, aDocument(patientId));
    const key = { resourceType: 'DocumentReference', id: created.id };
    const attempts = [
      [{ op: 'replace', path: '/description', value: 'x' }, { op: 'test', path: '/status', value: 'superseded' }],
      [{ op: 'remove', path: '/relatesTo/0' }],
      [{ op: 'replace', path: '/status', value: 'lost' }],
      [{ op: 'replace', path: '/id', value: 'other' }],
    ];
    expect(await Promise.all(attempts.map((patch) => statusOf(patchResource(t.deps.db, key, patch))))).toEqual([409, 422, 400, 400]);
    expect((await readResource(t.deps.db, key)).versionId).toBe(1);
  });
});

describe('conditional create', () => {
  it('creates when nothing matches, returns the match when one does, and refuses when several do', async () => {
    const patientId = await insertPatient(t.deps.db);
    const scope = { patientId, restriction: everything };
    const identified = aDocument(patientId, { masterIdentifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.3.4.5' } });
    const first = await conditionalCreate(t.deps.db, scope, identified, 'identifier=urn:ietf:rfc:3986|urn:oid:1.2.3.4.5');
    const again = await conditionalCreate(t.deps.db, scope, identified, 'identifier=urn:ietf:rfc:3986|urn:oid:1.2.3.4.5');
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, stored: { id: first.stored.id, versionId: 1 } });

    // Another space's identical identifier is not a match.
    const other = await insertPatient(t.deps.db);
    const elsewhere = await conditionalCreate(t.deps.db, { patientId: other, restriction: everything }, aDocument(other, { masterIdentifier: identified.masterIdentifier }), 'identifier=urn:oid:1.2.3.4.5');
    expect(elsewhere.created).toBe(true);

    await createResource(t.deps.db, patientId, identified);
    expect(await statusOf(conditionalCreate(t.deps.db, scope, identified, 'identifier=urn:oid:1.2.3.4.5'))).toBe(412);
    expect(await statusOf(conditionalCreate(t.deps.db, scope, identified, 'colour=blue'))).toBe(400);
  });
});

describe('transactions', () => {
  it('writes nothing of a transaction that fails after a create', async () => {
    const patientId = await insertPatient(t.deps.db);
    await expect(
      t.deps.db.transaction().execute(async (trx) => {
        await createResource(trx, patientId, aDocument(patientId));
        await createResource(trx, patientId, { ...aDocument(patientId), status: 'lost' } as unknown as DocumentReference);
      }),
    ).rejects.toBeInstanceOf(InvalidResource);
    for (const table of ['fhir_resource', 'fhir_resource_version', 'fhir_search_token'] as const) {
      expect(await t.deps.db.selectFrom(table).select('patient_id').where('patient_id', '=', patientId).execute()).toEqual([]);
    }
  });
});
