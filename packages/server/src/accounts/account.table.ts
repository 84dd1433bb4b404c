import type { ColumnType, Generated } from 'kysely';

export type AccountKind = 'patient' | 'professional' | 'operator';

/** One login (migration 0004). Secrets stay in this row and never leave the accounts module. */
export interface AccountTable {
  account_id: string;
  kind: AccountKind;
  /** Lower-cased. */
  email: string;
  display_name: string;
  professional_id: string | null;
  password_hash: string | null;
  password_changed_at: Date | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  email_otp_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Generated<Date>;
  disabled_at: Date | null;
}

/** The account that holds a patient's space. */
export interface PatientHolderTable {
  patient_id: string;
  account_id: string;
}

/** An external (OpenID Connect) identity linked to an account by (issuer, subject). */
export interface AccountIdentityTable {
  issuer: string;
  subject: string;
  account_id: string;
  provider: string;
  linked_at: Date;
}
