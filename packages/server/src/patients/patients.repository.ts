import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/database.ts';
import type { PatientTable } from './patients.table.ts';

type Db = Kysely<Database>;

export type PatientRow = Selectable<PatientTable>;

export async function findPatient(db: Db, patientId: string): Promise<PatientRow | undefined> {
  return db.selectFrom('patient').selectAll().where('patient_id', '=', patientId).executeTakeFirst();
}

export async function patientExists(db: Db, patientId: string): Promise<boolean> {
  const row = await db.selectFrom('patient').select('patient_id').where('patient_id', '=', patientId).executeTakeFirst();
  return row !== undefined;
}

/** The space of an INS matricule, through the routing table keyed by INS. */
export async function findPatientIdByIns(db: Db, insMatricule: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('patient_ins')
    .select('patient_id')
    .where('ins_matricule', '=', insMatricule)
    .executeTakeFirst();
  return row?.patient_id;
}
