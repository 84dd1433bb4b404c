import type { Generated } from 'kysely';
import type { SpaceStatus } from '../policy/record-facts.ts';

export interface PatientTable {
  patient_id: string;
  birth_family_name: string;
  first_names: string;
  /** ISO date (YYYY-MM-DD); `date` columns are read as text, never as a time zone–shifted Date. */
  birth_date: string;
  sex: 'M' | 'F';
  birthplace_code: string;
  ins_matricule: string;
  ins_oid: string;
  /** Open, closed by the holder, or never opened (opposition); migration 0010. */
  status: Generated<SpaceStatus>;
  created_at: Generated<Date>;
}

export interface PatientInsTable {
  ins_matricule: string;
  patient_id: string;
}
