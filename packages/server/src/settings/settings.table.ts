import type { ColumnType } from 'kysely';

/** The holder's choices (migration 0005). */
export interface PatientSettingsTable {
  patient_id: string;
  notify_new_document: boolean;
  notify_new_message: boolean;
  notify_reminders: boolean;
  updated_at: ColumnType<Date, string, string>;
}
