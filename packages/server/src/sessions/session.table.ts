import type { ColumnType } from 'kysely';

export type SessionStage = 'second-factor' | 'full';

/**
 * How the session was authenticated: RFC 8176 values where one exists (pwd, otp for TOTP), else
 * email (an e-mailed one-time code) and ext (an external OpenID Connect identity provider).
 */
export type AuthMethod = 'pwd' | 'otp' | 'email' | 'ext';

export interface AccountSessionTable {
  session_id: string;
  token_hash: Buffer;
  account_id: string;
  stage: SessionStage;
  csrf_token: string;
  auth_methods: AuthMethod[];
  acr: string | null;
  user_agent: string | null;
  code_attempts: ColumnType<number, number | undefined, number>;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
}
