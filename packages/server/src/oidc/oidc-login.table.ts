export interface OidcLoginTable {
  handle_hash: Buffer;
  provider: string;
  intent: 'login' | 'link';
  state: string;
  nonce: string;
  code_verifier: string;
  session_id: string | null;
  created_at: Date;
  expires_at: Date;
}
