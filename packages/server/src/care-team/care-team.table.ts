import type { ColumnType } from 'kysely';
import type { CareRole, EmergencyMode, Permission } from '../policy/record-facts.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** The patient blocks a professional (migration 0010). */
export interface ProfessionalBlockTable {
  patient_id: string;
  rpps: string;
  blocked_at: Timestamp;
}

/** A role the patient gives a professional; at most one MEDECIN_TRAITANT per space. */
export interface ProfessionalRoleTable {
  patient_id: string;
  rpps: string;
  role: CareRole;
  declared_at: Timestamp;
}

/** A professional's declaration that the patient consents; withdrawn by deleting it. */
export interface ConsentDeclarationTable {
  patient_id: string;
  rpps: string;
  declared_at: Timestamp;
}

/** The patient's emergency consents (ETREAT, BTG, MASKED). */
export interface EmergencyAccessSettingTable {
  patient_id: string;
  samu_regulation: Permission;
  break_the_glass: Permission;
  masked_in_emergency: Permission;
  updated_at: Timestamp;
}

/** A professional's time-limited emergency access. */
export interface EmergencyAccessTable {
  patient_id: string;
  emergency_access_id: string;
  rpps: string;
  mode: EmergencyMode;
  reason: string | null;
  started_at: Timestamp;
  expires_at: Timestamp;
}

/** The access matrix in force (one row). */
export interface AccessMatrixTable {
  singleton: ColumnType<boolean, boolean | undefined, boolean>;
  source_id: string;
  title: string;
  technical_type_codes: string[];
  imported_at: Timestamp;
}

/** One profession's row of the access matrix. */
export interface AccessMatrixProfessionTable {
  profession_code: string;
  profession_system: string;
  display: string;
  default_access: 'allow' | 'deny';
  enabled: boolean;
  exception_type_codes: string[];
}
