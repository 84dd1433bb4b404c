import { type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type { DocumentCategory } from '@carnet/shared/documents/patient-documents-api';
import type { Database } from '../db/database.ts';
import { DOCUMENT_SEARCH_VECTOR } from '../documents/document-filing.repository.ts';
import type { PatientDocumentTable } from '../documents/patient-document.table.ts';
import type { SearchRestriction } from '../fhir-store/search-restriction.ts';
import { restrictionSql } from './restriction-sql.ts';

type Db = Kysely<Database>;

/** What the patient app reads of a document: everything but the search vector and the text. */
export type PatientDocumentRow = Omit<Selectable<PatientDocumentTable>, 'search_vector' | 'extracted_text'>;

const ROW_COLUMNS = [
  'patient_id',
  'document_id',
  'file_id',
  'title',
  'category',
  'type_code',
  'type_system',
  'type_display',
  'class_code',
  'document_date',
  'filed_at',
  'filer_kind',
  'filer_id',
  'author_name',
  'organization_name',
  'content_type',
  'size',
  'confidentiality',
  'status',
  'archived',
  'folder_id',
  'stay_id',
  'pinned',
  'read_at',
] as const;

/** Where a page of the list starts: just after this document in the list's order. */
export interface ListPosition {
  /** The document's date as PostgreSQL prints it (to the microsecond, so no row is skipped). */
  date: string;
  documentId: string;
}

export interface DocumentFilter {
  category?: DocumentCategory;
  folderId?: string;
  stayId?: string;
  pinned?: boolean;
  /** French full-text search (websearch syntax: words, "phrases", -exclusions, or). */
  q?: string;
}

/**
 * The documents of the space as the app lists them: the current version of each (a replaced one
 * or one its author withdrew is gone), within what the policy's restriction lets the actor see.
 */
function listed(
  eb: ExpressionBuilder<Database, 'patient_document'>,
  patientId: string,
  restriction: SearchRestriction,
): Expression<SqlBool> {
  return eb.and([
    eb('patient_document.patient_id', '=', patientId),
    eb('patient_document.status', '=', 'current'),
    restrictionSql(restriction),
  ]);
}

function matching(eb: ExpressionBuilder<Database, 'patient_document'>, filter: Omit<DocumentFilter, 'category'>) {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.folderId !== undefined) conditions.push(eb('folder_id', '=', filter.folderId));
  if (filter.stayId !== undefined) conditions.push(eb('stay_id', '=', filter.stayId));
  if (filter.pinned !== undefined) conditions.push(eb('pinned', '=', filter.pinned));
  if (filter.q !== undefined) conditions.push(sql<SqlBool>`search_vector @@ websearch_to_tsquery('french', ${filter.q})`);
  return eb.and(conditions);
}

/** A page of the list, newest first; one more row than `limit` tells whether another page follows. */
export async function listDocuments(
  db: Db,
  patientId: string,
  restriction: SearchRestriction,
  filter: DocumentFilter,
  page: { after?: ListPosition; limit: number },
): Promise<(PatientDocumentRow & { position: string })[]> {
  let query = db
    .selectFrom('patient_document')
    .select(ROW_COLUMNS)
    .select(sql<string>`document_date::text`.as('position'))
    .where((eb) => listed(eb, patientId, restriction))
    .where((eb) => matching(eb, filter));
  if (filter.category !== undefined) query = query.where('category', '=', filter.category);
  const after = page.after;
  if (after !== undefined) {
    query = query.where(
      sql<SqlBool>`(document_date, document_id) < (${after.date}::timestamptz, ${after.documentId}::uuid)`,
    );
  }
  return query.orderBy('document_date', 'desc').orderBy('document_id', 'desc').limit(page.limit + 1).execute();
}

/** How many documents of each category the holder sees, with the same filters but the category. */
export async function countByCategory(
  db: Db,
  patientId: string,
  restriction: SearchRestriction,
  filter: DocumentFilter,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('patient_document')
    .select(['category', (eb) => eb.fn.countAll<string>().as('count')])
    .where((eb) => listed(eb, patientId, restriction))
    .where((eb) => matching(eb, filter))
    .groupBy('category')
    .execute();
  return new Map(rows.map((r) => [r.category, Number(r.count)]));
}

/** The current version of a document, whoever may see it: the caller asks the policy with its facts. */
export async function findDocument(db: Db, patientId: string, documentId: string): Promise<PatientDocumentRow | undefined> {
  return db
    .selectFrom('patient_document')
    .select(ROW_COLUMNS)
    .where('patient_id', '=', patientId)
    .where('document_id', '=', documentId)
    .where('status', '=', 'current')
    .executeTakeFirst();
}

/** Locks the row for a change, so that two changes to one document apply one after the other. */
export async function findDocumentForUpdate(
  trx: Db,
  patientId: string,
  documentId: string,
): Promise<PatientDocumentRow | undefined> {
  return trx
    .selectFrom('patient_document')
    .select(ROW_COLUMNS)
    .where('patient_id', '=', patientId)
    .where('document_id', '=', documentId)
    .where('status', '=', 'current')
    .forUpdate()
    .executeTakeFirst();
}

/** The patient's own organisation of a document (not its metadata: see `renameOwnDocument`). */
export interface Organisation {
  folder_id?: string | null;
  stay_id?: string | null;
  pinned?: boolean;
  read_at?: Date | null;
}

export async function updateOrganisation(trx: Db, patientId: string, documentId: string, change: Organisation) {
  if (Object.keys(change).length === 0) return;
  await trx
    .updateTable('patient_document')
    .set(change)
    .where('patient_id', '=', patientId)
    .where('document_id', '=', documentId)
    .execute();
}

/** Title and category of a document the patient added; the search text follows the title. */
export async function updateOwnMetadata(
  trx: Db,
  patientId: string,
  documentId: string,
  change: { title?: string; category?: string },
) {
  if (change.title === undefined && change.category === undefined) return;
  await trx
    .updateTable('patient_document')
    .set({ ...change })
    .where('patient_id', '=', patientId)
    .where('document_id', '=', documentId)
    .execute();
  if (change.title !== undefined) {
    await trx
      .updateTable('patient_document')
      .set({ search_vector: DOCUMENT_SEARCH_VECTOR })
      .where('patient_id', '=', patientId)
      .where('document_id', '=', documentId)
      .execute();
  }
}

export async function folderExists(db: Db, patientId: string, folderId: string): Promise<boolean> {
  const row = await db
    .selectFrom('document_folder')
    .select('folder_id')
    .where('patient_id', '=', patientId)
    .where('folder_id', '=', folderId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function stayExists(db: Db, patientId: string, stayId: string): Promise<boolean> {
  const row = await db
    .selectFrom('hospital_stay')
    .select('stay_id')
    .where('patient_id', '=', patientId)
    .where('stay_id', '=', stayId)
    .executeTakeFirst();
  return row !== undefined;
}
