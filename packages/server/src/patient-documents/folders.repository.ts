import { type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { SearchRestriction } from '../fhir-store/search-restriction.ts';
import { restrictionSql } from './restriction-sql.ts';

type Db = Kysely<Database>;

export interface FolderRow {
  folder_id: string;
  name: string;
  document_count: number;
}

/** Documents counted per folder or stay: the current ones the list would show (the same restriction). */
const listedDocuments = (restriction: SearchRestriction) => sql<SqlBool>`d.status = 'current' and ${restrictionSql(restriction, 'd')}`;

export async function listFolders(db: Db, patientId: string, restriction: SearchRestriction): Promise<FolderRow[]> {
  const rows = await db
    .selectFrom('document_folder as f')
    .leftJoin('patient_document as d', (join) =>
      join.onRef('d.patient_id', '=', 'f.patient_id').onRef('d.folder_id', '=', 'f.folder_id').on(listedDocuments(restriction)),
    )
    .select(['f.folder_id', 'f.name', (eb) => eb.fn.count<string>('d.document_id').as('document_count')])
    .where('f.patient_id', '=', patientId)
    .groupBy(['f.folder_id', 'f.name', 'f.created_at'])
    .orderBy('f.name')
    .orderBy('f.created_at')
    .execute();
  return rows.map((r) => ({ ...r, document_count: Number(r.document_count) }));
}

export async function findFolder(
  db: Db,
  patientId: string,
  folderId: string,
  restriction: SearchRestriction,
): Promise<FolderRow | undefined> {
  const rows = await db
    .selectFrom('document_folder as f')
    .leftJoin('patient_document as d', (join) =>
      join.onRef('d.patient_id', '=', 'f.patient_id').onRef('d.folder_id', '=', 'f.folder_id').on(listedDocuments(restriction)),
    )
    .select(['f.folder_id', 'f.name', (eb) => eb.fn.count<string>('d.document_id').as('document_count')])
    .where('f.patient_id', '=', patientId)
    .where('f.folder_id', '=', folderId)
    .groupBy(['f.folder_id', 'f.name'])
    .execute();
  const row = rows[0];
  return row === undefined ? undefined : { ...row, document_count: Number(row.document_count) };
}

export async function insertFolder(trx: Db, patientId: string, folderId: string, name: string) {
  await trx.insertInto('document_folder').values({ patient_id: patientId, folder_id: folderId, name }).execute();
}

export async function renameFolder(trx: Db, patientId: string, folderId: string, name: string): Promise<boolean> {
  const result = await trx
    .updateTable('document_folder')
    .set({ name })
    .where('patient_id', '=', patientId)
    .where('folder_id', '=', folderId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes a folder; its documents stay in the space, outside any folder. */
export async function deleteFolder(trx: Db, patientId: string, folderId: string): Promise<boolean> {
  await trx
    .updateTable('patient_document')
    .set({ folder_id: null })
    .where('patient_id', '=', patientId)
    .where('folder_id', '=', folderId)
    .execute();
  const result = await trx
    .deleteFrom('document_folder')
    .where('patient_id', '=', patientId)
    .where('folder_id', '=', folderId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
