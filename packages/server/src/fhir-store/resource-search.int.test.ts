import type { DocumentReference, Resource } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { CarnetError } from '../errors.ts';
import { FILED_BY_EXTENSION } from './carnet-search-parameters.ts';
import { createResource, deleteResource, updateResource } from './resource-store.service.ts';
import { type SearchScope, searchResources } from './resource-search.service.ts';
import { parseSearchRequest } from './search-request.ts';
import { everything, nothing, type SearchRestriction } from './search-restriction.ts';
import { aDocument, aList, CONFIDENTIALITY, insertPatient, LOINC } from './test-fixtures.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function search(scope: SearchScope, query: string, resourceType = 'DocumentReference') {
  const result = await searchResources(t.deps.db, scope, parseSearchRequest(resourceType, new URLSearchParams(query)));
  return { ...result, resources: result.resources.map((r) => r.parse<DocumentReference>()), included: result.included.map((r) => r.parse()) };
}
const descriptionsOf = (resources: readonly Resource[]) => resources.map((r) => (r as DocumentReference).description);

const typed = (code: string, system = LOINC) => ({ coding: [{ system, code }] });

describe('filters', () => {
  let patientId: string;
  let scope: SearchScope;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    patientId = await insertPatient(t.deps.db);
    scope = { patientId, restriction: everything };
    const documents: Record<string, Partial<DocumentReference>> = {
      cardio: { description: 'Échographie cardiaque', date: '2025-01-15T09:30:00Z', type: typed('11490-0'), category: [typed('10', 'urn:cat')] },
      bio: { description: 'Bilan biologique', date: '2025-03-01T08:00:00Z', type: typed('11502-2'), category: [typed('20', 'urn:cat')], securityLabel: [typed('R', CONFIDENTIALITY)] },
      radio: { description: 'Radiographie du thorax', date: '2024-12-31T23:59:59Z', type: typed('18748-4'), category: [typed('10', 'urn:other')], context: { period: { start: '2024-12-01', end: '2024-12-15' } } },
      undated: { description: 'Ordonnance', date: undefined, type: typed('57833-6'), category: [typed('30', 'urn:cat')], securityLabel: undefined },
    };
    for (const [name, overrides] of Object.entries(documents)) {
      ids[name] = (await createResource(t.deps.db, patientId, aDocument(patientId, overrides))).id;
    }
    // Another space with a document of every category: never found from this one.
    const other = await insertPatient(t.deps.db);
    for (const overrides of Object.values(documents)) await createResource(t.deps.db, other, aDocument(other, overrides));
  });

  it('finds documents by token: system|code, code, |code and system|, and :not and :missing', async () => {
    expect(descriptionsOf((await search(scope, 'category=urn:cat|10')).resources)).toEqual(['Échographie cardiaque']);
    expect(descriptionsOf((await search(scope, 'category=10&_sort=date')).resources)).toEqual(['Radiographie du thorax', 'Échographie cardiaque']);
    expect((await search(scope, 'category=|10')).resources).toEqual([]);
    expect((await search(scope, 'category=urn:cat|&_total=accurate')).total).toBe(3);
    expect(descriptionsOf((await search(scope, 'category=20,30&_sort=_id')).resources).sort()).toEqual(['Bilan biologique', 'Ordonnance']);
    expect(descriptionsOf((await search(scope, 'security-label:not=R&_sort=date')).resources)).toEqual(['Radiographie du thorax', 'Échographie cardiaque', 'Ordonnance']);
    expect(descriptionsOf((await search(scope, 'security-label:missing=true')).resources)).toEqual(['Ordonnance']);
  });

  it('finds strings from their start, whatever the case and accents, and exactly or anywhere on request', async () => {
    expect(descriptionsOf((await search(scope, 'description=echo')).resources)).toEqual(['Échographie cardiaque']);
    expect(descriptionsOf((await search(scope, 'description=RADIO')).resources)).toEqual(['Radiographie du thorax']);
    expect((await search(scope, 'description=thorax')).resources).toEqual([]);
    expect(descriptionsOf((await search(scope, 'description:contains=THORAX')).resources)).toEqual(['Radiographie du thorax']);
    expect((await search(scope, 'description:exact=échographie cardiaque')).resources).toEqual([]);
    expect(descriptionsOf((await search(scope, 'description:exact=Échographie cardiaque')).resources)).toEqual(['Échographie cardiaque']);
    // LIKE's wildcards are literal characters in a search.
    expect((await search(scope, 'description:contains=%')).resources).toEqual([]);
  });

  it('compares dates as ranges, with every prefix', async () => {
    const found = async (query: string) => descriptionsOf((await search(scope, `${query}&_sort=date`)).resources);
    expect(await found('date=2025')).toEqual(['Échographie cardiaque', 'Bilan biologique']);
    expect(await found('date=2025-01-15')).toEqual(['Échographie cardiaque']);
    expect(await found('date=ne2025')).toEqual(['Radiographie du thorax']);
    expect(await found('date=lt2025-01-15')).toEqual(['Radiographie du thorax']);
    expect(await found('date=le2025-01-15')).toEqual(['Radiographie du thorax', 'Échographie cardiaque']);
    expect(await found('date=gt2025-01-15')).toEqual(['Bilan biologique']);
    expect(await found('date=ge2025-01-15T09:30:00Z')).toEqual(['Échographie cardiaque', 'Bilan biologique']);
    expect(await found('date=sa2025-01')).toEqual(['Bilan biologique']);
    expect(await found('date=eb2025-01-01T01:00:00%2B01:00')).toEqual(['Radiographie du thorax']);
    expect(await found('date=ge2025-01-01&date=lt2025-02')).toEqual(['Échographie cardiaque']);
    expect(await found('period=2024-12')).toEqual(['Radiographie du thorax']);
    expect(await found('period=2024-12-10')).toEqual([]);
    expect(await found('period=ge2024-12-10')).toEqual(['Radiographie du thorax']);
  });

  it('finds by reference, _id and _lastUpdated', async () => {
    expect((await search(scope, `subject=Patient/${patientId}&_total=accurate`)).total).toBe(4);
    expect((await search(scope, `patient=${patientId}&_total=accurate`)).total).toBe(4);
    expect((await search(scope, 'subject=Patient/3b0e1c1e-0000-4000-8000-000000000000')).resources).toEqual([]);
    expect(descriptionsOf((await search(scope, `_id=${ids.bio},${ids.radio}&_sort=date`)).resources)).toEqual(['Radiographie du thorax', 'Bilan biologique']);
    expect((await search(scope, '_lastUpdated=gt2020-01-01&_total=accurate')).total).toBe(4);
    expect((await search(scope, '_lastUpdated=lt2020-01-01')).resources).toEqual([]);
  });

  it('sorts by a date either way, resources without one last, and pages through every match once', async () => {
    expect(descriptionsOf((await search(scope, '_sort=-date')).resources)).toEqual([
      'Bilan biologique',
      'Échographie cardiaque',
      'Radiographie du thorax',
      'Ordonnance',
    ]);
    for (const sort of ['date', '-date', '_lastUpdated', '-_lastUpdated', '_id']) {
      const all = descriptionsOf((await search(scope, `_sort=${sort}`)).resources);
      const paged: (string | undefined)[] = [];
      let cursor: string | undefined;
      do {
        const page = await search(scope, `_sort=${sort}&_count=1${cursor === undefined ? '' : `&_cursor=${cursor}`}`);
        paged.push(...descriptionsOf(page.resources));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(paged).toEqual(all);
      expect(paged).toHaveLength(4);
    }
  });

  it('answers the total alone for _summary=count and _count=0', async () => {
    expect(await search(scope, 'category=urn:cat|&_summary=count')).toEqual({ resources: [], included: [], total: 3 });
    expect(await search(scope, '_count=0')).toEqual({ resources: [], included: [], total: 4 });
  });

  it('refuses what it does not serve, naming it, rather than ignoring it', async () => {
    const refusal = async (query: string) => {
      const error = await Promise.resolve()
        .then(() => search(scope, query))
        .catch((e: unknown) => e);
      return error instanceof CarnetError ? [error.status, error.field] : error;
    };
    expect(await refusal('colour=blue')).toEqual([400, 'colour']);
    expect(await refusal('category:text=lettre')).toEqual([400, 'category:text']);
    expect(await refusal('date=ap2025')).toEqual([400, 'date']);
    expect(await refusal('date=yesterday')).toEqual([400, 'date']);
    expect(await refusal('_sort=description')).toEqual([400, '_sort']);
    expect(await refusal('_revinclude=List:item')).toEqual([400, '_revinclude']);
    expect(await refusal('_count=many')).toEqual([400, '_count']);
    expect(await refusal('_cursor=bm9wZQ')).toEqual([400, '_cursor']);
    expect(await refusal('_include=DocumentReference:status')).toEqual([400, '_include']);
  });

  it('forgets the search values of a deleted document and of an old version', async () => {
    const id = (await createResource(t.deps.db, patientId, aDocument(patientId, { description: 'Temporaire', category: [typed('99', 'urn:cat')] }))).id;
    expect((await search(scope, 'category=99')).resources).toHaveLength(1);
    const current = (await search(scope, 'category=99')).resources[0]!;
    await updateResource(t.deps.db, { resourceType: 'DocumentReference', id }, { ...current, category: [typed('98', 'urn:cat')] });
    expect((await search(scope, 'category=99')).resources).toEqual([]);
    expect(descriptionsOf((await search(scope, 'category=98')).resources)).toEqual(['Temporaire']);
    await deleteResource(t.deps.db, { resourceType: 'DocumentReference', id });
    expect((await search(scope, 'category=98')).resources).toEqual([]);
    expect((await search(scope, `_id=${id}`)).resources).toEqual([]);
  });
});

describe('restrictions', () => {
  it('applies the restriction to the page, the total and the next link alike', async () => {
    const patientId = await insertPatient(t.deps.db);
    for (const label of ['N', 'R', 'N', 'V', 'N']) {
      await createResource(t.deps.db, patientId, aDocument(patientId, { securityLabel: [typed(label, CONFIDENTIALITY)] }));
    }
    const restriction: SearchRestriction = { kind: 'token', param: 'security-label', codes: [{ code: 'N' }] };
    const first = await search({ patientId, restriction }, '_count=2&_total=accurate');
    expect(first.total).toBe(3);
    expect(first.resources.map((r) => r.securityLabel?.[0]?.coding?.[0]?.code)).toEqual(['N', 'N']);
    const second = await search({ patientId, restriction }, `_count=2&_cursor=${first.nextCursor}`);
    expect(second.resources.map((r) => r.securityLabel?.[0]?.coding?.[0]?.code)).toEqual(['N']);
    expect(second.nextCursor).toBeUndefined();
    expect(await search({ patientId, restriction: nothing }, '_summary=count')).toMatchObject({ total: 0 });
  });

  it('includes only the referenced resources the caller may see', async () => {
    const patientId = await insertPatient(t.deps.db);
    const open = await createResource(t.deps.db, patientId, aDocument(patientId, { description: 'visible' }));
    const masked = await createResource(t.deps.db, patientId, aDocument(patientId, { description: 'masqué', securityLabel: [typed('MASQUE_PS', CONFIDENTIALITY)] }));
    await createResource(t.deps.db, patientId, aList(patientId, [open.id, masked.id]));
    const restriction: SearchRestriction = { kind: 'token', param: 'security-label', codes: [{ code: 'MASQUE_PS' }], negate: true };
    const result = await search({ patientId, restriction: everything, includes: { DocumentReference: restriction } }, '_include=List:item', 'List');
    expect(result.resources).toHaveLength(1);
    expect(descriptionsOf(result.included)).toEqual(['visible']);
    const notAllowed = await search({ patientId, restriction: everything }, '_include=List:item', 'List');
    expect(notAllowed.included).toEqual([]);
  });

  it('never lets a hidden document into results or totals, whatever the restriction (property)', async () => {
    const patientId = await insertPatient(t.deps.db);
    const types = ['11490-0', '11502-2', '18748-4'];
    const labels = ['N', 'R', 'V', 'MASQUE_PS'];
    const filers = ['8100', '8200'];
    const documents: DocumentReference[] = [];
    let n = 0;
    for (const type of types) {
      for (const label of labels) {
        const filer = filers[n++ % filers.length]!;
        const status = n % 5 === 0 ? 'superseded' : 'current';
        const overrides: Partial<DocumentReference> = {
          type: typed(type),
          status,
          securityLabel: n % 7 === 0 ? undefined : [typed(label, CONFIDENTIALITY)],
          extension: [{ url: FILED_BY_EXTENSION, valueIdentifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: filer } }],
        };
        documents.push((await createResource(t.deps.db, patientId, aDocument(patientId, overrides))).resource);
      }
    }
    const token = fc.record({
      kind: fc.constant('token' as const),
      param: fc.constantFrom('type', 'security-label', 'filer', 'status'),
      codes: fc.array(
        fc.record({ code: fc.constantFrom(...types, ...labels, ...filers, 'current', 'superseded'), system: fc.option(fc.constantFrom(LOINC, CONFIDENTIALITY, 'urn:oid:1.2.250.1.71.4.2.1'), { nil: undefined }) }),
        { minLength: 1, maxLength: 3 },
      ),
      negate: fc.boolean(),
    });
    const restriction = fc.letrec<{ r: SearchRestriction }>((tie) => ({
      r: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        token,
        fc.constantFrom(everything, nothing),
        fc.record({ kind: fc.constant('all-of' as const), restrictions: fc.array(tie('r'), { maxLength: 3 }) }),
        fc.record({ kind: fc.constant('any-of' as const), restrictions: fc.array(tie('r'), { maxLength: 3 }) }),
      ),
    })).r;
    await fc.assert(
      fc.asyncProperty(restriction, fc.integer({ min: 1, max: 12 }), async (r, count) => {
        const visible = documents.filter((d) => allows(r, d)).map((d) => d.id).sort();
        const result = await search({ patientId, restriction: r }, `_count=${count}&_total=accurate&_sort=_id`);
        expect(result.total).toBe(visible.length);
        expect(result.resources.map((d) => d.id)).toEqual(visible.slice(0, count));
      }),
      { numRuns: 60 },
    );
  });
});

/** The restriction, evaluated in memory on a document: the model the SQL must agree with. */
function allows(restriction: SearchRestriction, document: DocumentReference): boolean {
  switch (restriction.kind) {
    case 'everything':
      return true;
    case 'nothing':
      return false;
    case 'all-of':
      return restriction.restrictions.every((r) => allows(r, document));
    case 'any-of':
      return restriction.restrictions.some((r) => allows(r, document));
    case 'token': {
      const values = tokenValues(restriction.param, document);
      const any = restriction.codes.some((c) => values.some((v) => v.code === c.code && (c.system === undefined || c.system === v.system)));
      return restriction.negate === true ? !any : any;
    }
  }
}

function tokenValues(param: string, document: DocumentReference): { system: string; code: string }[] {
  const codings = (concepts: { coding?: { system?: string; code?: string }[] }[] | undefined) =>
    (concepts ?? []).flatMap((c) => c.coding ?? []).map((c) => ({ system: c.system ?? '', code: c.code ?? '' }));
  switch (param) {
    case 'type':
      return codings(document.type === undefined ? [] : [document.type]);
    case 'security-label':
      return codings(document.securityLabel);
    case 'status':
      return [{ system: '', code: document.status }];
    case 'filer':
      return (document.extension ?? []).map((e) => ({ system: e.valueIdentifier?.system ?? '', code: e.valueIdentifier?.value ?? '' }));
    default:
      throw new Error(param);
  }
}
