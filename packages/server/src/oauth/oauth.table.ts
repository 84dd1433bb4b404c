import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** oidc-provider's persisted models (migration 0009). */
export interface OauthStateTable {
  model: string;
  id: string;
  payload: JSONColumnType<Record<string, unknown>>;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: Date | null;
  consumed_at: Date | null;
}

/** A public JSON Web Key Set (RFC 7517 §5) as registered. */
export interface PublicJwks {
  keys: Record<string, unknown>[];
}

/** Professionals' software (migration 0009). */
export interface SoftwareClientTable {
  client_id: string;
  name: string;
  organization_id: string | null;
  professional_id: string | null;
  jwks: JSONColumnType<PublicJwks>;
  allowed_scopes: string;
  created_at: Generated<Date>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date>;
}
