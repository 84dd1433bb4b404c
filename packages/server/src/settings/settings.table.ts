import type { ColumnType } from 'kysely';

/** The holder's choices (migration 0005). */
export interface PatientSettingsTable {
  patient_id: string;
  notify_new_document: boolean;
  notify_new_message: boolean;
  notify_reminders: boolean;
  /** New documents are masked from professionals (MASQUE_PS) unless the holder unmasks them (0010). */
  mask_new_documents: boolean;
  /** Migration 0011. */
  notify_professional_access: boolean;
  updated_at: ColumnType<Date, string, string>;
}
