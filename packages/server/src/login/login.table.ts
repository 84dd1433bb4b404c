export interface EmailCodeTable {
  session_id: string;
  code_hash: Buffer;
  attempts: number;
  created_at: Date;
  expires_at: Date;
}

export interface PasswordResetTable {
  token_hash: Buffer;
  account_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface AuthThrottleTable {
  bucket: string;
  key_hash: string;
  window_start: Date;
  hits: number;
  locked_until: Date | null;
}
