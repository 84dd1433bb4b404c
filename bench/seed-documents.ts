import { generateKeyPairSync, type KeyObject, randomInt, randomUUID } from 'node:crypto';
import { INS_OID, luhnCheckDigit, withNirKey } from '@carnet/shared';
import pg from 'pg';
import { buildPdf } from '../packages/server/src/document-content/fixtures/pdf-builder.ts';
import { requestSoftwareToken } from '../packages/server/src/oauth/client-assertion.ts';
import { buildProvideBundle, type DocumentFixture } from '../packages/server/src/mhd/provide-bundle.fixture.ts';

/** The scopes an MHD Document Source asks for (packages/server/src/mhd/mhd.test-support.ts). */
const MHD_SCOPES = 'system/Patient.rs system/DocumentReference.cruds system/Binary.cr system/List.crs';

/** Four document types of three classes, so a search by category keeps part of a patient's documents. */
export const BENCH_DOCUMENT_TYPES = [
  { code: '11488-4', display: 'Compte rendu de consultation', classCode: '10' },
  { code: '11502-2', display: "CR d'examens biologiques", classCode: '10' },
  { code: '18748-4', display: "CR d'imagerie médicale", classCode: '31' },
  { code: '57833-6', display: 'Prescription de produits de santé', classCode: '42' },
] as const;

export interface BenchPatient {
  patientId: string;
  ins: { matricule: string; oid: string };
}

export interface FiledDocument {
  patientId: string;
  documentId: string;
  fileId: string;
}

/**
 * What the document scenarios act in: an organisation, its treating doctor (declared for every
 * patient, with the patient's consent to read), the organisation's registered software with a key
 * of its own, and patients with an INS. The software's access token comes from Carnet's real token
 * endpoint and is renewed before it expires: `headers` always holds a valid one.
 */
export interface DocumentWorld {
  carnetUrl: string;
  rpps: string;
  organization: { finess: string; name: string };
  patients: BenchPatient[];
  /** `authorization: Bearer …` of the software acting for the doctor; renewed in place. */
  headers: Record<string, string>;
}

/** A fresh identifier of `length` digits whose last is a Luhn key (RPPS 11, FINESS 9). */
function luhnNumber(length: number): string {
  const base = `1${String(randomInt(0, 10 ** (length - 2))).padStart(length - 2, '0')}`;
  return `${base}${luhnCheckDigit(base)}`;
}

const freshMatricule = () =>
  withNirKey(`2${String(randomInt(50, 99))}0${randomInt(1, 9)}75${String(randomInt(100, 999))}${String(randomInt(100, 999))}`);

export async function seedDocumentWorld(carnetUrl: string, databaseUrl: string, patientCount: number): Promise<DocumentWorld> {
  const organizationId = randomUUID();
  const organization = { finess: luhnNumber(9), name: 'Centre hospitalier du banc d’essai' };
  const professionalId = randomUUID();
  const rpps = luhnNumber(11);
  const clientId = `bench-${randomUUID()}`;
  const kid = `bench-${randomUUID().slice(0, 8)}`;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const patients: BenchPatient[] = Array.from({ length: patientCount }, () => ({
    patientId: randomUUID(),
    ins: { matricule: freshMatricule(), oid: INS_OID.nir },
  }));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('insert into organization (organization_id, finess, name) values ($1, $2, $3)', [organizationId, organization.finess, organization.name]);
    await client.query(
      `insert into professional (professional_id, rpps, family_name, given_name, profession_code, specialty_code, organization_id)
       values ($1, $2, 'BANC', 'Claire', '10', 'SM54', $3)`,
      [professionalId, rpps, organizationId],
    );
    await client.query(
      `insert into software_client (client_id, name, organization_id, professional_id, jwks, allowed_scopes)
       values ($1, 'Logiciel du banc d’essai', $2, null, $3, $4)`,
      [clientId, organizationId, JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }] }), MHD_SCOPES],
    );
    const now = new Date();
    // In batches: one statement per table per 500 patients keeps a 1,000-patient seed to seconds.
    for (let start = 0; start < patients.length; start += 500) {
      const batch = patients.slice(start, start + 500);
      const ids = batch.map((p) => p.patientId);
      const matricules = batch.map((p) => p.ins.matricule);
      await client.query(
        `insert into patient (patient_id, birth_family_name, first_names, birth_date, sex, birthplace_code, ins_matricule, ins_oid)
         select id, 'BENCH', 'CAMILLE', '1984-03-15', 'F', '75112', m, $3 from unnest($1::uuid[], $2::text[]) as t(id, m)`,
        [ids, matricules, INS_OID.nir],
      );
      await client.query('insert into patient_ins (ins_matricule, patient_id) select m, id from unnest($1::uuid[], $2::text[]) as t(id, m)', [ids, matricules]);
      await client.query(
        `insert into professional_role (patient_id, rpps, role, declared_at) select id, $2, 'MEDECIN_TRAITANT', $3 from unnest($1::uuid[]) as t(id)`,
        [ids, rpps, now],
      );
      await client.query('insert into consent_declaration (patient_id, rpps, declared_at) select id, $2, $3 from unnest($1::uuid[]) as t(id)', [ids, rpps, now]);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    await client.end();
  }
  const headers: Record<string, string> = {};
  const renew = async () => {
    headers.authorization = `Bearer ${await requestAccessToken(carnetUrl, { clientId, kid, privateKey }, rpps)}`;
  };
  await renew();
  // Tokens live at most 10 minutes; a full run lasts longer. The timer must not keep the run alive.
  setInterval(() => void renew().catch((error: Error) => process.stderr.write(`token renewal failed: ${error.message}\n`)), 240_000).unref();
  return { carnetUrl, rpps, organization, patients, headers };
}

/** Client credentials with a `private_key_jwt` assertion (RFC 7523), acting for the professional `rpps`. */
const requestAccessToken = (carnetUrl: string, software: { clientId: string; kid: string; privateKey: KeyObject }, rpps: string) =>
  requestSoftwareToken(carnetUrl, { clientId: software.clientId, kid: software.kid, alg: 'ES256', key: software.privateKey }, { practitioner: rpps, scope: MHD_SCOPES });

/** A PDF of about `bytes` with a text layer, as a report would be. */
export function benchPdf(bytes: number, title = 'Compte rendu'): Uint8Array {
  const lines = Array.from({ length: 40 }, (_, i) => `${title} — ligne ${i + 1} : examen clinique sans particularité.`);
  return buildPdf(lines, { title, padToBytes: bytes });
}

/** Files `documents` in `patient`'s space through ITI-65, one Bundle each; returns their ids. */
export async function fileDocuments(
  world: DocumentWorld,
  patient: BenchPatient,
  documents: readonly DocumentFixture[],
  concurrency = 8,
): Promise<FiledDocument[]> {
  const filed: FiledDocument[] = [];
  let next = 0;
  const worker = async () => {
    while (next < documents.length) {
      const doc = documents[next++]!;
      filed.push(await fileOne(world, patient, doc));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return filed;
}

async function fileOne(world: DocumentWorld, patient: BenchPatient, document: DocumentFixture): Promise<FiledDocument> {
  const bundle = provideBundle(world, patient, [document]);
  const res = await fetch(`${world.carnetUrl}/fhir/R4`, {
    method: 'POST',
    headers: { ...world.headers, 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
    body: JSON.stringify(bundle),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`ITI-65 answered ${res.status}: ${text.slice(0, 500)}`);
  const locations = ((JSON.parse(text) as { entry?: { response?: { location?: string } }[] }).entry ?? []).map((e) => e.response?.location ?? '');
  const idOf = (type: string) => locations.find((l) => l.startsWith(`${type}/`))?.split('/')[1];
  const documentId = idOf('DocumentReference');
  const fileId = idOf('Binary');
  if (documentId === undefined || fileId === undefined) throw new Error(`ITI-65 answered no DocumentReference or Binary: ${text.slice(0, 500)}`);
  return { patientId: patient.patientId, documentId, fileId };
}

export function provideBundle(world: DocumentWorld, patient: BenchPatient, documents: readonly DocumentFixture[], submissionSetId?: string) {
  return buildProvideBundle({
    ins: patient.ins,
    author: { rpps: world.rpps },
    organization: world.organization,
    documents,
    ...(submissionSetId === undefined ? {} : { submissionSetId }),
  });
}

/** The i-th of a patient's documents: the four types in turn, dated a day apart. */
export function nthDocument(i: number, bytes: Uint8Array): DocumentFixture {
  const type = BENCH_DOCUMENT_TYPES[i % BENCH_DOCUMENT_TYPES.length]!;
  const day = new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  return { bytes, typeCode: { code: type.code, display: type.display }, title: `${type.display} ${i + 1}`, date: `${day}T09:00:00+01:00` };
}
