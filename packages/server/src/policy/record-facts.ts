import type { MatrixRow } from './access-matrix.ts';

/**
 * What a decision needs to know about a patient's space and about the professional asking, loaded
 * before `decide()` is called (care-team/care-relationship.repository.ts, one query) so that the
 * policy stays pure.
 */

/** A space is open, closed by its holder (kept, read-only), or was never opened (opposition). */
export const SPACE_STATUSES = ['active', 'closed', 'opposed'] as const;
export type SpaceStatus = (typeof SPACE_STATUSES)[number];

/**
 * Roles the patient gives a professional. The first three are the declared roles of Mon espace
 * santé (HealthProfessionalRoleEnum); ADMINISTRATEUR is the MES "administrateur" (R.1111-42: the
 * patient grants a professional the rights of the treating doctor).
 */
export const CARE_ROLES = ['MEDECIN_TRAITANT', 'SAGE_FEMME_REFERENTE', 'PHARMACIEN_CORRESPONDANT', 'ADMINISTRATEUR'] as const;
export type CareRole = (typeof CARE_ROLES)[number];

/** How a professional reaches a record in an emergency (reference.md §1.5). */
export const EMERGENCY_MODES = ['break-the-glass', 'samu-regulation'] as const;
export type EmergencyMode = (typeof EMERGENCY_MODES)[number];

export type Permission = 'permit' | 'deny';

/**
 * The patient's three emergency consents (MES: ETREAT, BTG, MASKED), each permit or deny.
 */
export interface EmergencySwitches {
  /** ETREAT: the SAMU regulation centre (centre 15) may open the record. */
  samuRegulation: Permission;
  /** BTG: any other professional may break the glass. */
  breakTheGlass: Permission;
  /** MASKED: masked documents are shown in an emergency too. */
  maskedInEmergency: Permission;
}

/**
 * Defaults of a space whose holder never chose: the SAMU and break-the-glass allowed (the purpose of
 * emergency access is a patient who cannot consent), masked documents stay masked (the holder
 * masked them on purpose; showing them needs a choice of theirs).
 */
export const DEFAULT_EMERGENCY_SWITCHES: EmergencySwitches = {
  samuRegulation: 'permit',
  breakTheGlass: 'permit',
  maskedInEmergency: 'deny',
};

/** The professional × patient relationship, as the patient and the professional have set it. */
export interface CareRelationship {
  blocked: boolean;
  roles: readonly CareRole[];
  /** The professional declared that the patient consents (R.1111-46); null when none is in force. */
  consentDeclaredAt: Date | null;
  /** The professional's emergency access in force, if any. */
  emergency: { mode: EmergencyMode; expiresAt: Date } | null;
  switches: EmergencySwitches;
  /** What the professional's profession may read; null: nothing (unknown or disabled profession). */
  matrix: MatrixRow | null;
}

export interface RecordFacts {
  spaceStatus: SpaceStatus;
  /** Present when the actor is a professional. */
  care?: CareRelationship;
}

/** The national professional identifier system (idNat_PS = "8" + RPPS). */
export const ID_NAT_PS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';
/** How a document filed by the patient names them. */
export const PATIENT_FILER_SYSTEM = 'https://carnet.health/fhir/patient';

/** Who filed a document, as the `filed-by` extension of a stored DocumentReference names them. */
export interface Filer {
  system: string;
  value: string;
}

/** The facts of one document the policy reads (the MHD layer extracts them from the DocumentReference). */
export interface DocumentFacts {
  /** DocumentReference.type (JDV_J07: LOINC or TRE_A05 code). */
  typeCode: string;
  /** DocumentReference.category (the XDS classCode): only used for a typeCode outside JDV_J07. */
  classCode?: string;
  /** The JDV_J58 codes of DocumentReference.securityLabel (N, MASQUE_PS, INVISIBLE_PATIENT…). */
  securityLabels: readonly string[];
  filer: Filer | null;
}
