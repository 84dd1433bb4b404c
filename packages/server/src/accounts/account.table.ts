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
  /**
   * The TOTP secret, and one waiting for its first code during enrolment, each sealed under the
   * master key named beside it (login/totp-secret.ts; migration 0006).
   */
  totp_secret: Buffer | null;
  totp_secret_key_id: string | null;
  totp_pending_secret: Buffer | null;
  totp_pending_secret_key_id: string | null;
  /** A secret stored in clear before migration 0006, until the start-up step seals it. */
  totp_secret_cleartext: string | null;
  totp_last_step: number | null;
  email_otp_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Generated<Date>;
  disabled_at: Date | null;
}

/** The two columns that hold a sealed TOTP secret; each has its master key id in `<column>_key_id`. */
export type TotpColumn = 'totp_secret' | 'totp_pending_secret';

/** A TOTP secret sealed under the master key `masterKeyId`, as stored. */
export interface SealedTotpSecret {
  sealed: Buffer;
  masterKeyId: string;
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
