import { randomUUID } from 'node:crypto';
import type { DocumentReference } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { INVISIBLE_TO_PATIENT } from '../codes/confidentiality.ts';
import type { DocumentType } from '../codes/document-types.ts';
import { authorizeDocumentFiling } from '../care-team/document-access.ts';
import type { Database } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { createResource, findResource, patchResource } from '../fhir-store/resource-store.service.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { enqueueNotification } from '../notifications/notifications.ts';
import type { AccessContext } from '../patients/patient-access.ts';
import * as repository from './document-filing.repository.ts';
import { type DocumentFiler, filerOf } from './filer.ts';
import { Problems, refusalOf, SubmissionConflict } from './filing-problems.ts';
import { storedBinary, storedDocumentReference, storedSubmissionSet } from './stored-document.ts';

/** The job that extracts a filed document's text for the full-text index (document-text.job.ts). */
export const EXTRACT_TEXT_JOB = 'document.extract-text';

/** A document to file, checked by the caller (MHD rules, or the patient app's upload rules). */
export interface NewDocument {
  /** The DocumentReference as the filer described it; filing sets ids, subject, status, content url and filer. */
  resource: Record<string, unknown>;
  /** The bytes, their sniffed content type (the one stored and served), and their SHA-1 (base64). */
  content: { bytes: Uint8Array; contentType: string; sha1: string };
  /** The document's uniqueId (DocumentReference.masterIdentifier.value). */
  masterIdentifier: string;
  title: string;
  /** The type with its class, and the patient-facing category (codes/document-types.ts patientCategoryOf). */
  type: DocumentType & { category: string };
  /** When it was written (context.period.start), ISO 8601. */
  documentDate: string;
  /** JDV_J58 codes as sent (N, MASQUE_PS, INVISIBLE_PATIENT…). */
  securityLabels: readonly string[];
  authorName: string | null;
  organizationName: string | null;
  /** RPPS numbers of the professional authors (searched by ITI-67 `author.identifier`). */
  authorRpps?: readonly string[];
  /** The id of a document of the same space this one replaces (it becomes superseded). */
  replaces?: string;
  /** The patient's folder, for their own uploads. */
  folderId?: string | null;
  /** Where this document sits in the caller's input, for located problems (e.g. `Bundle.entry[1].resource`). */
  location?: string;
}

export interface FilingRequest {
  patientId: string;
  documents: readonly NewDocument[];
  /** The MHD SubmissionSet List, stored beside the documents (ITI-66). */
  submissionSet?: { resource: Record<string, unknown>; uniqueId: string };
}

export interface FiledDocument {
  documentId: string;
  fileId: string;
  versionId: number;
  /** Sent before by the same filer with the same content: nothing new was stored (idempotent resend). */
  alreadyFiled: boolean;
  /** The stored DocumentReference. */
  resource: DocumentReference;
}

export interface FilingResult {
  documents: FiledDocument[];
  /** The stored SubmissionSet, when one was sent and something new was filed. */
  submissionSet?: { id: string; versionId: number };
}

export type FilingDeps = Pick<Deps, 'db' | 'patientFiles'>;

/**
 * Files documents into a patient's space, all or nothing: each file goes to the encrypted blob
 * store first (durably), then one transaction writes the DocumentReferences, Binaries and the
 * SubmissionSet, the patient's view of each document, the replaced documents' superseded status,
 * the audit entry of the filing decision, the notification and the text-extraction jobs. A file
 * written for a transaction that does not commit is deleted; a crash in between leaves an intent
 * row the reconciler (orphan-files.ts) follows up.
 *
 * Refusals, with nothing stored: the policy's (blocked professional, closed or opposed space),
 * a uniqueId already used for another content or by another filer (409), a replaced document that
 * is not the filer's current document of this space (422). The same document resent by the same
 * filer is recognised and not stored twice.
 */
export async function fileDocuments(deps: FilingDeps, context: AccessContext, request: FilingRequest): Promise<FilingResult> {
  try {
    return await fileOnce(deps, context, request);
  } catch (error) {
    // Two identical submissions at once: the second meets the first's uniqueIds at commit. Once
    // more, it finds them filed and answers as a resend.
    if (!isUniqueViolation(error)) throw error;
    return fileOnce(deps, context, request);
  }
}

interface Plan {
  filer: DocumentFiler;
  existing: Map<number, repository.FiledRow>;
  fresh: { index: number; document: NewDocument; documentId: string; fileId: string }[];
}

async function fileOnce(deps: FilingDeps, context: AccessContext, request: FilingRequest): Promise<FilingResult> {
  const { patientId } = request;
  const authorizeContext = { ...context, db: deps.db };
  if (context.actor.kind === 'operator') {
    // Operator staff file nothing: the policy refuses, and the refusal is audited.
    return authorizeDocumentFiling(authorizeContext, patientId, () => Promise.reject(new Error('The policy let an operator file a document.')));
  }
  const filer = filerOf(context.actor);
  const plan = await planFiling(deps.db, patientId, filer, request.documents);
  if (plan.problems !== undefined || plan.fresh.length === 0) {
    // Nothing to write: the policy decides all the same (a blocked professional learns nothing,
    // not even that the document is there), then the refusal or the earlier filing is answered.
    return authorizeDocumentFiling(authorizeContext, patientId, async (trx) => {
      if (plan.problems !== undefined) throw plan.problems;
      return { documents: await alreadyFiledDocuments(trx, patientId, request.documents, plan.existing) };
    });
  }

  const fileIds = plan.fresh.map((f) => f.fileId);
  await repository.insertFileIntents(deps.db, patientId, fileIds);
  try {
    await Promise.all(plan.fresh.map((f) => deps.patientFiles.putPatientFile(patientId, f.fileId, f.document.content.bytes)));
    const resource = plan.fresh.length === 1 ? { type: 'DocumentReference', id: plan.fresh[0]!.documentId } : { type: 'DocumentReference' };
    return await authorizeDocumentFiling(
      authorizeContext,
      patientId,
      (trx, filing) => writeFiling(trx, { request, plan, filer, maskedByDefault: filing.maskNewDocuments && filer.kind === 'professional' }),
      resource,
    );
  } catch (error) {
    await removeFiles(deps, patientId, fileIds);
    throw error;
  }
}

/** What is new, what was filed before, and what is wrong, from one read of the space. */
async function planFiling(db: Kysely<Database>, patientId: string, filer: DocumentFiler, documents: readonly NewDocument[]) {
  const rows = await repository.findFiledDocuments(db, patientId, {
    masterIdentifiers: documents.map((d) => d.masterIdentifier),
    documentIds: documents.flatMap((d) => (d.replaces === undefined ? [] : [d.replaces])),
  });
  const problems = new Problems();
  const existing = new Map<number, repository.FiledRow>();
  const fresh: Plan['fresh'] = [];
  const replaced = new Set<string>();
  documents.forEach((document, index) => {
    const at = document.location ?? `DocumentReference[${index}]`;
    const same = rows.find((row) => row.master_identifier === document.masterIdentifier);
    if (same !== undefined) {
      if (same.filer_kind === filer.kind && same.filer_id === filer.id && same.content_sha1 === document.content.sha1) existing.set(index, same);
      else {
        problems.add(
          `${at}.masterIdentifier`,
          'A document with this masterIdentifier is already in the space, with another content or from another filer. A new version has its own masterIdentifier and relatesTo replaces.',
          'conflict',
        );
      }
      return;
    }
    if (document.replaces !== undefined) {
      const location = `${at}.relatesTo[0].target`;
      const target = rows.find((row) => row.document_id === document.replaces);
      if (target === undefined) problems.add(location, 'The replaced document is not in this patient\'s space.', 'not-found');
      else if (target.status !== 'current') problems.add(location, 'The replaced document is no longer current: it was replaced or deleted already.', 'conflict');
      else if (target.filer_kind !== filer.kind || target.filer_id !== filer.id) problems.add(location, 'Only the one who filed a document replaces it.', 'invalid');
      else if (replaced.has(target.document_id)) problems.add(location, 'Two documents of the submission replace the same document.', 'invalid');
      replaced.add(document.replaces);
    }
    fresh.push({ index, document, documentId: randomUUID(), fileId: randomUUID() });
  });
  return { filer, existing, fresh, problems: problems.empty ? undefined : refusalOf(problems.list) };
}

async function writeFiling(
  trx: Kysely<Database>,
  given: { request: FilingRequest; plan: Plan; filer: DocumentFiler; maskedByDefault: boolean },
): Promise<FilingResult> {
  const { request, plan, filer } = given;
  const { patientId } = request;
  const filed = new Map<number, FiledDocument>();
  const rows: repository.NewPatientDocumentRow[] = [];
  for (const { index, document, documentId, fileId } of plan.fresh) {
    const resource = storedDocumentReference({ document, documentId, fileId, patientId, filer: filer.identifier, maskedByDefault: given.maskedByDefault });
    if (document.replaces !== undefined) await supersede(trx, patientId, document.replaces, document.location ?? `DocumentReference[${index}]`);
    const stored = await createResource(trx, patientId, resource, { id: documentId });
    await createResource(trx, patientId, storedBinary(fileId, document.content.contentType, documentId), { id: fileId });
    filed.set(index, { documentId, fileId, versionId: stored.versionId, alreadyFiled: false, resource: stored.resource });
    rows.push({
      patient_id: patientId,
      document_id: documentId,
      file_id: fileId,
      title: document.title,
      category: document.type.category,
      type_code: document.type.code,
      type_system: document.type.system,
      type_display: document.type.display,
      class_code: document.type.classCode,
      document_date: document.documentDate,
      filer_kind: filer.kind,
      filer_id: filer.id,
      author_name: document.authorName,
      organization_name: document.organizationName,
      content_type: document.content.contentType,
      size: document.content.bytes.length,
      confidentiality: labelsOf(resource),
      folder_id: document.folderId ?? null,
      master_identifier: document.masterIdentifier,
      content_sha1: document.content.sha1,
    });
  }
  for (const [index, row] of plan.existing) filed.set(index, await alreadyFiled(trx, patientId, row));
  const documents = request.documents.map((_, index) => filed.get(index)!);

  let submissionSet: FilingResult['submissionSet'];
  if (request.submissionSet !== undefined) {
    const list = storedSubmissionSet({
      list: request.submissionSet.resource,
      listId: randomUUID(),
      patientId,
      documentIds: documents.map((d) => d.documentId),
      filer: filer.identifier,
    });
    const stored = await createResource(trx, patientId, list, { id: list.id! });
    submissionSet = { id: stored.id, versionId: stored.versionId };
  }
  await repository.insertPatientDocuments(trx, rows);
  await repository.deleteFileIntents(trx, patientId, plan.fresh.map((f) => f.fileId));
  for (const { documentId } of plan.fresh) {
    await enqueueJob(trx, { kind: EXTRACT_TEXT_JOB, patientId, payload: { documentId }, dedupeKey: `${EXTRACT_TEXT_JOB}:${documentId}` });
  }
  // The holder hears of new documents from professionals, not of their own uploads, and not of a
  // document they may not see yet (it is announced when a professional makes it visible).
  const visible = rows.filter((row) => !row.confidentiality.includes(INVISIBLE_TO_PATIENT));
  if (filer.kind === 'professional' && visible.length > 0) {
    await enqueueNotification(trx, {
      patientId,
      kind: 'new-document',
      dedupeKey: `submission:${request.submissionSet?.uniqueId ?? visible[0]!.document_id}`,
    });
  }
  return { documents, ...(submissionSet === undefined ? {} : { submissionSet }) };
}

/** The replaced document becomes superseded, in the FHIR store and in the patient's view. */
async function supersede(trx: Kysely<Database>, patientId: string, documentId: string, location: string) {
  if (!(await repository.supersedeDocument(trx, patientId, documentId))) {
    throw new SubmissionConflict([{ location: `${location}.relatesTo[0].target`, message: 'The replaced document was replaced or deleted meanwhile.', code: 'conflict' }]);
  }
  await patchResource(trx, { resourceType: 'DocumentReference', id: documentId, patientId }, [{ op: 'replace', path: '/status', value: 'superseded' }]);
}

async function alreadyFiled(db: Kysely<Database>, patientId: string, row: repository.FiledRow): Promise<FiledDocument> {
  const stored = await findResource<DocumentReference>(db, { resourceType: 'DocumentReference', id: row.document_id, patientId });
  if (stored === undefined) throw new Error('A patient_document row has no DocumentReference.');
  return { documentId: row.document_id, fileId: row.file_id, versionId: stored.versionId, alreadyFiled: true, resource: stored.resource };
}

async function alreadyFiledDocuments(db: Kysely<Database>, patientId: string, documents: readonly NewDocument[], existing: Map<number, repository.FiledRow>) {
  const result: FiledDocument[] = [];
  for (let index = 0; index < documents.length; index++) result.push(await alreadyFiled(db, patientId, existing.get(index)!));
  return result;
}

const labelsOf = (resource: DocumentReference) =>
  (resource.securityLabel ?? []).flatMap((label) => (label.coding ?? []).flatMap((c) => (c.code === undefined ? [] : [c.code])));

/**
 * Removes the files of a filing that did not commit. An intent row goes only once its file is
 * gone: if this fails too (the store is down), the reconciler finishes the job later.
 */
async function removeFiles(deps: FilingDeps, patientId: string, fileIds: readonly string[]) {
  const removed: string[] = [];
  await Promise.all(
    fileIds.map((fileId) =>
      deps.patientFiles.deletePatientFile(patientId, fileId).then(
        () => removed.push(fileId),
        () => undefined,
      ),
    ),
  );
  await repository.deleteFileIntents(deps.db, patientId, removed).catch(() => undefined);
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';
