import { type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { SearchRestriction } from '../fhir-store/search-restriction.ts';
import { restrictionSql } from './restriction-sql.ts';

type Db = Kysely<Database>;

export interface StayRow {
  stay_id: string;
  label: string;
  start_date: string;
  end_date: string | null;
  document_count: number;
}

export interface StayValues {
  label: string;
  start_date: string;
  end_date: string | null;
}

const listedDocuments = (restriction: SearchRestriction) => sql<SqlBool>`d.status = 'current' and ${restrictionSql(restriction, 'd')}`;

function staysWithCounts(db: Db, patientId: string, restriction: SearchRestriction) {
  return db
    .selectFrom('hospital_stay as s')
    .leftJoin('patient_document as d', (join) =>
      join.onRef('d.patient_id', '=', 's.patient_id').onRef('d.stay_id', '=', 's.stay_id').on(listedDocuments(restriction)),
    )
    .select(['s.stay_id', 's.label', 's.start_date', 's.end_date', (eb) => eb.fn.count<string>('d.document_id').as('document_count')])
    .where('s.patient_id', '=', patientId)
    .groupBy(['s.stay_id', 's.label', 's.start_date', 's.end_date']);
}

/** The holder's hospital stays, the latest first. */
export async function listStays(db: Db, patientId: string, restriction: SearchRestriction): Promise<StayRow[]> {
  const rows = await staysWithCounts(db, patientId, restriction).orderBy('s.start_date', 'desc').orderBy('s.stay_id').execute();
  return rows.map((r) => ({ ...r, document_count: Number(r.document_count) }));
}

export async function findStay(
  db: Db,
  patientId: string,
  stayId: string,
  restriction: SearchRestriction,
): Promise<StayRow | undefined> {
  const row = await staysWithCounts(db, patientId, restriction).where('s.stay_id', '=', stayId).executeTakeFirst();
  return row === undefined ? undefined : { ...row, document_count: Number(row.document_count) };
}

export async function insertStay(trx: Db, patientId: string, stayId: string, values: StayValues) {
  await trx.insertInto('hospital_stay').values({ patient_id: patientId, stay_id: stayId, ...values }).execute();
}

export async function updateStay(trx: Db, patientId: string, stayId: string, values: StayValues): Promise<boolean> {
  const result = await trx
    .updateTable('hospital_stay')
    .set(values)
    .where('patient_id', '=', patientId)
    .where('stay_id', '=', stayId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes a stay; its documents stay in the space, linked to no stay. */
export async function deleteStay(trx: Db, patientId: string, stayId: string): Promise<boolean> {
  await trx
    .updateTable('patient_document')
    .set({ stay_id: null })
    .where('patient_id', '=', patientId)
    .where('stay_id', '=', stayId)
    .execute();
  const result = await trx
    .deleteFrom('hospital_stay')
    .where('patient_id', '=', patientId)
    .where('stay_id', '=', stayId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
