import { randomInt, randomUUID } from 'node:crypto';
import { INS_OID, withNirKey } from '@carnet/shared';
import type { DocumentReference } from '@medplum/fhirtypes';
import type { TestApp } from '../../test/test-app.ts';
import { CLASS_CODE_SYSTEM } from '../codes/document-types.ts';
import { storedBinary } from '../documents/stored-document.ts';
import { FILED_BY_EXTENSION } from '../fhir-store/carnet-search-parameters.ts';
import { createResource } from '../fhir-store/resource-store.service.ts';
import { accessTokenFor, createTestSoftware, type TestSoftware } from '../oauth/oauth.test-support.ts';
import { buildProvideBundle, type BundleFixture, type DocumentFixture } from './provide-bundle.fixture.ts';

/** The scopes MHD needs from a software's token. */
export const MHD_SCOPES = 'system/Patient.rs system/DocumentReference.cruds system/Binary.cr system/List.crs';

export interface InsPatient {
  patientId: string;
  ins: { matricule: string; oid: string };
}

/** A fresh INS matricule with a valid key. */
export const freshMatricule = () =>
  withNirKey(`2${String(randomInt(50, 99))}0${randomInt(1, 9)}75${String(randomInt(100, 999))}${String(randomInt(100, 999))}`);

/**
 * Gives a space a valid INS (the NIR's OID, which any server accepts; test OIDs only a demo one)
 * and routes it, as enrolment would. Without `patientId`, a new space.
 */
export async function withIns(t: TestApp, patientId: string = randomUUID()): Promise<InsPatient> {
  const ins = { matricule: freshMatricule(), oid: INS_OID.nir };
  const exists = await t.deps.db.selectFrom('patient').select('patient_id').where('patient_id', '=', patientId).executeTakeFirst();
  if (exists === undefined) {
    await t.deps.db
      .insertInto('patient')
      .values({
        patient_id: patientId,
        birth_family_name: 'ESSAI',
        first_names: 'CAMILLE',
        birth_date: '1984-03-15',
        sex: 'F',
        birthplace_code: '75112',
        ins_matricule: ins.matricule,
        ins_oid: ins.oid,
      })
      .execute();
  } else {
    await t.deps.db.updateTable('patient').set({ ins_matricule: ins.matricule, ins_oid: ins.oid }).where('patient_id', '=', patientId).execute();
  }
  await t.deps.db.insertInto('patient_ins').values({ ins_matricule: ins.matricule, patient_id: patientId }).execute();
  return { patientId, ins };
}

export interface TestSoftwareSession {
  software: TestSoftware;
  rpps: string;
  headers: Record<string, string>;
}

/** A professional's software with a token acting for its professional. */
export async function softwareSession(t: TestApp): Promise<TestSoftwareSession> {
  const software = await createTestSoftware(t, { scopes: MHD_SCOPES });
  const token = await accessTokenFor(t, software, MHD_SCOPES);
  return { software, rpps: software.professional.rpps, headers: { authorization: `Bearer ${token}` } };
}

/** POST /fhir/R4 with a Bundle. */
export function postBundle(t: TestApp, headers: Record<string, string>, bundle: unknown) {
  return t.app.inject({
    method: 'POST',
    url: '/fhir/R4',
    headers: { ...headers, 'content-type': 'application/fhir+json' },
    payload: JSON.stringify(bundle),
  });
}

/** A bundle for this patient, authored by this professional. */
export const bundleFor = (patient: InsPatient, rpps: string, documents: readonly DocumentFixture[], extra: Partial<BundleFixture> = {}) =>
  buildProvideBundle({ ins: patient.ins, author: { rpps }, documents, ...extra });

/**
 * A document in a space with the given facts, written straight to the store (no filing rules, no
 * policy): for tests that need a document a professional could not have filed, or in a space that
 * refuses filing. Returns the DocumentReference's and the file's ids.
 */
export async function seedDocument(
  t: TestApp,
  patientId: string,
  facts: { type: string; class?: string; labels?: readonly string[]; filer: { system: string; value: string } },
): Promise<{ documentId: string; fileId: string }> {
  const documentId = randomUUID();
  const fileId = randomUUID();
  const bytes = Buffer.from('Document de test.\n');
  await t.deps.patientFiles.putPatientFile(patientId, fileId, bytes);
  await t.deps.db.transaction().execute(async (trx) => {
    await createResource(trx, patientId, {
      resourceType: 'DocumentReference',
      extension: [{ url: FILED_BY_EXTENSION, valueIdentifier: facts.filer }],
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: facts.type }] },
      ...(facts.class === undefined ? {} : { category: [{ coding: [{ system: CLASS_CODE_SYSTEM, code: facts.class }] }] }),
      subject: { reference: `Patient/${patientId}` },
      securityLabel: (facts.labels ?? ['N']).map((code) => ({ coding: [{ code }] })),
      content: [{ attachment: { contentType: 'text/plain', url: `Binary/${fileId}`, size: bytes.length } }],
    } as DocumentReference, { id: documentId });
    await createResource(trx, patientId, storedBinary(fileId, 'text/plain', documentId), { id: fileId });
  });
  return { documentId, fileId };
}
