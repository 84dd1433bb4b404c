import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

/**
 * The French full-text vector of a patient_document row: title first, then the type, author and
 * organisation, then the text a job extracts from the content. Written from the row's columns, so
 * that any change of them (a rename, the extracted text) can recompute it the same way.
 */
export const DOCUMENT_SEARCH_VECTOR = sql<string>`setweight(to_tsvector('french', title), 'A')
  || setweight(to_tsvector('french', concat_ws(' ', type_display, author_name, organization_name)), 'B')
  || setweight(to_tsvector('french', coalesce(extracted_text, '')), 'C')`;

/** The same vector for a row being inserted (its columns cannot be read yet), without extracted text. */
const newSearchVector = (row: { title: string; type_display: string; author_name: string | null; organization_name: string | null }) =>
  sql<string>`setweight(to_tsvector('french', ${row.title}), 'A')
  || setweight(to_tsvector('french', concat_ws(' ', ${row.type_display}::text, ${row.author_name}::text, ${row.organization_name}::text)), 'B')`;

export interface FiledRow {
  document_id: string;
  file_id: string;
  master_identifier: string | null;
  content_sha1: string | null;
  filer_kind: 'professional' | 'patient';
  filer_id: string;
  status: 'current' | 'superseded' | 'entered-in-error';
}

/** The documents of a space among these ids or uniqueIds (for idempotency and replacement checks). */
export async function findFiledDocuments(db: Db, patientId: string, by: { masterIdentifiers: readonly string[]; documentIds: readonly string[] }): Promise<FiledRow[]> {
  if (by.masterIdentifiers.length === 0 && by.documentIds.length === 0) return [];
  return db
    .selectFrom('patient_document')
    .select(['document_id', 'file_id', 'master_identifier', 'content_sha1', 'filer_kind', 'filer_id', 'status'])
    .where('patient_id', '=', patientId)
    .where((eb) =>
      eb.or([
        ...(by.masterIdentifiers.length === 0 ? [] : [eb('master_identifier', 'in', [...by.masterIdentifiers])]),
        ...(by.documentIds.length === 0 ? [] : [eb('document_id', 'in', [...by.documentIds])]),
      ]),
    )
    .execute();
}

export async function insertFileIntents(db: Db, patientId: string, fileIds: readonly string[]): Promise<void> {
  if (fileIds.length === 0) return;
  await db
    .insertInto('document_file_intent')
    .values(fileIds.map((file_id) => ({ patient_id: patientId, file_id })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteFileIntents(db: Db, patientId: string, fileIds: readonly string[]): Promise<void> {
  if (fileIds.length === 0) return;
  await db.deleteFrom('document_file_intent').where('patient_id', '=', patientId).where('file_id', 'in', [...fileIds]).execute();
}

export interface NewPatientDocumentRow {
  patient_id: string;
  document_id: string;
  file_id: string;
  title: string;
  category: string;
  type_code: string;
  type_system: string;
  type_display: string;
  class_code: string;
  document_date: string;
  filer_kind: 'professional' | 'patient';
  filer_id: string;
  author_name: string | null;
  organization_name: string | null;
  content_type: string;
  size: number;
  confidentiality: string[];
  folder_id: string | null;
  master_identifier: string;
  content_sha1: string;
}

export async function insertPatientDocuments(trx: Db, rows: readonly NewPatientDocumentRow[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('patient_document')
    .values(rows.map((row) => ({ ...row, search_vector: newSearchVector(row) })))
    .execute();
}

/** Marks a current document superseded; false when it was not current (replaced meanwhile). */
export async function supersedeDocument(trx: Db, patientId: string, documentId: string): Promise<boolean> {
  const result = await trx
    .updateTable('patient_document')
    .set({ status: 'superseded' })
    .where('patient_id', '=', patientId)
    .where('document_id', '=', documentId)
    .where('status', '=', 'current')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** The patient's view follows a change of the DocumentReference's labels, status or archive flag. */
export async function updateDocumentState(
  trx: Db,
  patientId: string,
  documentId: string,
  state: { confidentiality?: string[]; status?: 'current' | 'superseded' | 'entered-in-error'; archived?: boolean },
): Promise<void> {
  await trx.updateTable('patient_document').set(state).where('patient_id', '=', patientId).where('document_id', '=', documentId).execute();
}

/** Stores the text a job extracted from the content, and recomputes the search vector with it. */
export async function saveExtractedText(db: Db, patientId: string, documentId: string, text: string): Promise<boolean> {
  const result = await db
    .updateTable('patient_document')
    .set({ extracted_text: text })
    .set({ search_vector: sql<string>`setweight(to_tsvector('french', title), 'A')
      || setweight(to_tsvector('french', concat_ws(' ', type_display, author_name, organization_name)), 'B')
      || setweight(to_tsvector('french', ${text}::text), 'C')` })
    .where('patient_id', '=', patientId)
    .where('document_id', '=', documentId)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function findDocumentFile(db: Db, patientId: string, documentId: string) {
  return db
    .selectFrom('patient_document')
    .select(['file_id', 'content_type'])
    .where('patient_id', '=', patientId)
    .where('document_id', '=', documentId)
    .executeTakeFirst();
}

/** File intents older than `before`, oldest first: candidates for the orphan reconciler. */
export async function listStaleFileIntents(db: Db, before: Date, limit: number) {
  return db
    .selectFrom('document_file_intent')
    .select(['patient_id', 'file_id'])
    .where('created_at', '<', before)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/** Whether a stored document's content is this file (then the file is not an orphan). */
export async function fileHasDocument(db: Db, patientId: string, fileId: string): Promise<boolean> {
  const row = await db
    .selectFrom('patient_document')
    .select('document_id')
    .where('patient_id', '=', patientId)
    .where('file_id', '=', fileId)
    .executeTakeFirst();
  return row !== undefined;
}
