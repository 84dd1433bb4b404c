import { randomInt, randomUUID } from 'node:crypto';
import type { DocumentReference, List } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { FILED_BY_EXTENSION } from './carnet-search-parameters.ts';

// Test data for the FHIR store's tests: a patient's space and documents of that space.

/** A fresh patient's space (the patient row the store's rows belong to). */
export async function insertPatient(db: Kysely<Database>): Promise<string> {
  const patientId = randomUUID();
  await db
    .insertInto('patient')
    .values({
      patient_id: patientId,
      birth_family_name: 'ESSAI',
      first_names: 'ALIX',
      birth_date: '1990-01-01',
      sex: 'F',
      birthplace_code: '75056',
      ins_matricule: `2${String(randomInt(0, 10 ** 14)).padStart(14, '0')}`,
      ins_oid: '1.2.250.1.213.1.4.10',
    })
    .execute();
  return patientId;
}

export const LOINC = 'http://loinc.org';
export const CONFIDENTIALITY = 'urn:oid:1.2.250.1.213.1.1.4.13';

/** A discharge letter (or what `overrides` makes of it) about the patient. */
export function aDocument(patientId: string, overrides: Partial<DocumentReference> = {}): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    extension: [{ url: FILED_BY_EXTENSION, valueIdentifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810001234567' } }],
    status: 'current',
    type: { coding: [{ system: LOINC, code: '11490-0', display: 'Lettre de sortie' }] },
    category: [{ coding: [{ system: 'urn:oid:1.2.250.1.213.1.1.4.1', code: '10', display: 'Compte rendu' }] }],
    subject: { reference: `Patient/${patientId}` },
    date: '2026-03-02T10:00:00+01:00',
    description: 'Lettre de sortie du service de cardiologie',
    securityLabel: [{ coding: [{ system: CONFIDENTIALITY, code: 'N' }] }],
    content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/placeholder', title: 'Lettre.pdf' } }],
    ...overrides,
  };
}

/** A list of the patient's documents. */
export function aList(patientId: string, documentIds: readonly string[]): List {
  return {
    resourceType: 'List',
    status: 'current',
    mode: 'working',
    subject: { reference: `Patient/${patientId}` },
    entry: documentIds.map((id) => ({ item: { reference: `DocumentReference/${id}` } })),
  };
}
