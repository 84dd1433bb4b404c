import { readdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { buildPdf } from '../document-content/fixtures/pdf-builder.ts';
import { bundleFor, type InsPatient, postBundle, softwareSession, type TestSoftwareSession, withIns } from './mhd.test-support.ts';

let t: TestApp;
let pro: TestSoftwareSession;
let patient: InsPatient;

beforeAll(async () => {
  t = await startTestApp();
  pro = await softwareSession(t);
  patient = await withIns(t);
});
afterAll(() => t.close());

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    n += entry.isDirectory() ? await countFiles(path.join(dir, entry.name)) : 1;
  }
  return n;
}

/** Everything a refused submission must leave as it was: the store, the patient's view, the audit chain, the files. */
async function everything() {
  const db = t.deps.db;
  const count = async (table: 'fhir_resource' | 'fhir_resource_version' | 'patient_document' | 'audit_entry' | 'document_file_intent' | 'job') =>
    Number((await db.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return {
    resources: await count('fhir_resource'),
    versions: await count('fhir_resource_version'),
    documents: await count('patient_document'),
    audit: await count('audit_entry'),
    intents: await count('document_file_intent'),
    jobs: await count('job'),
    files: await countFiles(t.deps.config.filesDir),
  };
}

const pdf = buildPdf(['Compte rendu', 'Propriété : rien n’est écrit en cas de refus.']);

/** A path into the valid bundle, and what to put there. */
type Mutation = { path: (string | number)[]; value: unknown } | { path: (string | number)[]; remove: true };

/** Every path of a JSON value, leaves and inner nodes. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (typeof value === 'object' && value !== null) return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return [prefix];
}

function apply(body: unknown, mutation: Mutation): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  if (mutation.path.length === 0) return 'remove' in mutation ? {} : mutation.value;
  // An earlier mutation replaced the whole body with a scalar: nothing is left to change inside.
  if (typeof copy !== 'object' || copy === null) return copy;
  let node = copy as Record<string | number, unknown>;
  for (const key of mutation.path.slice(0, -1)) {
    const next = node[key];
    // An earlier mutation removed or replaced this branch: this one has nothing left to change.
    if (typeof next !== 'object' || next === null) return copy;
    node = next as Record<string | number, unknown>;
  }
  const last = mutation.path.at(-1)!;
  if ('remove' in mutation) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = mutation.value;
  return copy;
}

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 1_000_000 }),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', 'urn:uuid:x', 'Binary/x', 'DocumentReference/x', 'current', 'superseded', 'N', 'MASQUE_PS', 'text/xml', 'AAAA', '%PDF-1.7'),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

describe('ITI-65 under random and mutated bundles', () => {
  it('leaves the store, the patient\'s view, the audit chain and the files unchanged after every refusal', async () => {
    const valid = bundleFor(patient, pro.rpps, [{ bytes: pdf, masterIdentifier: 'urn:uuid:6b8a2f0e-5f57-4b3e-9a59-0d6b3c3f6e01' }]);
    const paths = pathsOf(valid);
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.record({ path: fc.constantFrom(...paths), value: junk }),
      fc.record({ path: fc.constantFrom(...paths.filter((p) => p.length > 0)), remove: fc.constant(true as const) }),
    );
    const body = fc.oneof(
      { weight: 4, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => ms.reduce<unknown>((b, m) => apply(b, m), valid)) },
      { weight: 1, arbitrary: fc.jsonValue() },
    );
    // The valid bundle itself files once; after that, the same bundle is a resend (200, nothing new).
    const first = await postBundle(t, pro.headers, valid);
    expect(first.statusCode, first.body).toBe(200);

    await fc.assert(
      fc.asyncProperty(body, async (candidate) => {
        const before = await everything();
        const res = await postBundle(t, pro.headers, candidate);
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(res.json().resourceType).toBe('OperationOutcome');
          expect(await everything()).toEqual(before);
        } else {
          // A mutation that changes nothing that matters (a display, a description) is a resend or a new filing.
          expect(res.json().type).toBe('transaction-response');
        }
      }),
      { numRuns: 60, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31), verbose: 1 },
    );
  });
});
