import type { ColumnType, Generated } from 'kysely';

/**
 * One data key per patient and key version (migration 0003). A destroyed key keeps its row, with
 * no key material, as the record that the patient's files were shredded and so that no new key is
 * ever made for them.
 */
export interface PatientDataKeyTable {
  patient_id: string;
  key_version: number;
  /** The data key wrapped by the master key `master_key_id`; null once destroyed. */
  wrapped_key: Buffer | null;
  master_key_id: string | null;
  created_at: Generated<Date>;
  destroyed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}
