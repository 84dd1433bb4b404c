import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { type FilingResult, fileDocuments, type NewDocument } from '../documents/document-filing.ts';
import { Problems } from '../documents/filing-problems.ts';
import type { AccessContext } from '../patients/patient-access.ts';
import { findPatient, findPatientIdByIns } from '../patients/patients.repository.ts';
import { checkDocumentContent } from './document-content-checks.ts';
import type { ParsedDocument } from './document-reference.rules.ts';
import { mhdTerminology } from './mhd-terminology.ts';
import type { PatientKey } from './patient-reference.ts';
import { type ParsedSubmission, parseProvideBundle } from './provide-bundle.ts';

export type ProvideDeps = Pick<Deps, 'db' | 'patientFiles' | 'config'>;

/**
 * IHE ITI-65 Provide Document Bundle (MHD 4.2, PDSm): reads and checks the whole submission,
 * finds the patient's space by INS, checks every document's bytes, then files everything in one
 * transaction (documents/document-filing.ts). Any problem refuses the whole submission with every
 * problem listed; nothing is stored. Answers the transaction-response Bundle.
 */
export async function provideDocumentBundle(deps: ProvideDeps, context: AccessContext, body: unknown): Promise<Bundle> {
  const parsed = parseProvideBundle(body, {
    terminology: mhdTerminology,
    maxDocumentBytes: deps.config.documentMaxBytes,
    acceptTestIns: deps.config.demo,
  });
  const problems = new Problems();
  checkActingProfessional(context, parsed, problems);
  const patient = await findSpace(deps.db, parsed.patient);
  if (patient === undefined) {
    problems.add(parsed.patientLocation, 'No patient space has this INS: check the INS, or the patient objected to their space.', 'not-found');
    problems.throwIfAny();
  }
  const contentTypes = await Promise.all(
    parsed.documents.map((document) => checkDocumentContent(document, patient!.ins, problems, { maxDocumentBytes: deps.config.documentMaxBytes })),
  );
  problems.throwIfAny();

  const result = await fileDocuments(deps, context, {
    patientId: patient!.patientId,
    documents: parsed.documents.map((document, i) => newDocumentOf(document, contentTypes[i]!.contentType)),
    submissionSet: { resource: parsed.submissionSet.resource, uniqueId: parsed.submissionSet.uniqueId },
  });
  return transactionResponse(parsed, result, patient!.patientId);
}

/**
 * The acting professional (the practitioner of the software's token, or the professional signed
 * in) must be an author of each document, or the author of the submission: a professional files
 * their own documents, or documents they submit for colleagues of the same submission.
 */
function checkActingProfessional(context: AccessContext, parsed: ParsedSubmission, problems: Problems) {
  const actor = context.actor;
  if (actor.kind !== 'professional') return;
  if (parsed.submissionSet.source?.rpps === actor.rpps) return;
  for (const document of parsed.documents) {
    if (!document.authors.some((a) => a.rpps === actor.rpps)) {
      problems.add(
        `${document.location}.resource.author`,
        'The acting professional (the practitioner of the access token) must be an author of the document or the author (source) of the SubmissionSet.',
        'invalid',
      );
    }
  }
}

async function findSpace(db: Kysely<Database>, key: PatientKey) {
  const patientId = key.kind === 'id' ? key.id : await findPatientIdByIns(db, key.matricule);
  if (patientId === undefined) return undefined;
  const patient = await findPatient(db, patientId);
  if (patient === undefined) return undefined;
  // The INS and its OID must both match: a test identity never files into a real person's space.
  if (key.kind === 'ins' && (patient.ins_oid !== key.oid || patient.ins_matricule !== key.matricule)) return undefined;
  return { patientId, ins: { oid: patient.ins_oid, matricule: patient.ins_matricule } };
}

function newDocumentOf(document: ParsedDocument, contentType: string): NewDocument {
  const author = document.authors.find((a) => a.rpps !== undefined) ?? document.authors[0];
  return {
    resource: document.resource,
    content: { bytes: document.content.bytes, contentType, sha1: document.content.hash },
    masterIdentifier: document.masterIdentifier,
    title: document.title,
    type: document.type,
    documentDate: document.documentDate,
    securityLabels: document.securityLabels,
    authorName: author?.name ?? null,
    organizationName: document.custodianName ?? author?.organizationName ?? null,
    authorRpps: document.authors.flatMap((a) => (a.rpps === undefined ? [] : [a.rpps])),
    ...(document.replaces === undefined ? {} : { replaces: document.replaces.documentId }),
    location: `${document.location}.resource`,
  };
}

const etag = (versionId: number) => `W/"${versionId}"`;

/** FHIR R4 http §3.1.0.11.2: one response entry per request entry, in order. */
function transactionResponse(parsed: ParsedSubmission, result: FilingResult, patientId: string): Bundle {
  const entries: BundleEntry[] = new Array(parsed.entryCount);
  parsed.documents.forEach((document, i) => {
    const filed = result.documents[i]!;
    const status = filed.alreadyFiled ? '200 OK' : '201 Created';
    entries[document.entryIndex] = {
      response: { status, location: `DocumentReference/${filed.documentId}/_history/${filed.versionId}`, etag: etag(filed.versionId) },
    };
    if (document.content.binaryEntryIndex !== undefined) {
      entries[document.content.binaryEntryIndex] = { response: { status, location: `Binary/${filed.fileId}/_history/1`, etag: etag(1) } };
    }
  });
  const list = result.submissionSet;
  entries[parsed.submissionSet.entryIndex] = {
    response: list === undefined ? { status: '200 OK' } : { status: '201 Created', location: `List/${list.id}/_history/${list.versionId}`, etag: etag(list.versionId) },
  };
  for (const pass of parsed.passThrough) {
    entries[pass.entryIndex] = {
      response: pass.kind === 'patient' ? { status: '200 OK', location: `Patient/${patientId}` } : { status: '200 OK', location: `DocumentReference/${pass.documentId}` },
    };
  }
  return { resourceType: 'Bundle', type: 'transaction-response', entry: [...entries].map((e) => e ?? { response: { status: '200 OK' } }) };
}
