import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/database.ts';
import type { PatientSettingsTable } from './settings.table.ts';

type Db = Kysely<Database>;

export type PatientSettingsRow = Selectable<PatientSettingsTable>;

export async function findSettings(db: Db, patientId: string): Promise<PatientSettingsRow | undefined> {
  return db.selectFrom('patient_settings').selectAll().where('patient_id', '=', patientId).executeTakeFirst();
}

export async function saveSettings(db: Db, row: Omit<PatientSettingsRow, 'updated_at'>, now: Date): Promise<void> {
  const values = { ...row, updated_at: now.toISOString() };
  await db
    .insertInto('patient_settings')
    .values(values)
    .onConflict((oc) => oc.column('patient_id').doUpdateSet(values))
    .execute();
}
