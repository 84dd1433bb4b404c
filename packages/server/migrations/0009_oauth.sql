-- Carnet's OAuth 2 authorization server (oidc-provider, mounted under /oauth) and the software
-- clients it serves. Neither table is patient-owned: on a distributed PostgreSQL, software_client
-- is a reference table and oauth_state a local table of the coordinator, keyed by token id.

-- What oidc-provider persists, one row per model instance (ReplayDetection entries for client
-- assertions' jti; later grants, codes, sessions and refresh tokens). The payload is the provider's
-- own; grant_id, uid and user_code are copied out of it for the provider's look-ups.
create table oauth_state (
  model text collate "C" not null,
  id text collate "C" not null,
  payload jsonb not null,
  grant_id text collate "C",
  uid text collate "C",
  user_code text collate "C",
  -- Null: kept until destroyed. Rows past it are never returned and are purged.
  expires_at timestamptz,
  consumed_at timestamptz,
  primary key (model, id)
);
create index oauth_state_by_grant on oauth_state (grant_id) where grant_id is not null;
create index oauth_state_by_uid on oauth_state (model, uid) where uid is not null;
create index oauth_state_by_user_code on oauth_state (model, user_code) where user_code is not null;
create index oauth_state_expiry on oauth_state (expires_at) where expires_at is not null;

-- Professionals' software, authenticating with private_key_jwt (RFC 7523) under its public keys.
-- It belongs to an organisation (FINESS), acting for any of its professionals, or to one
-- professional, acting for them alone.
create table software_client (
  client_id text collate "C" primary key,
  name text not null,
  organization_id uuid references organization (organization_id),
  professional_id uuid references professional (professional_id),
  -- Public JWKS only (RFC 7517): Carnet never holds the client's private key.
  jwks jsonb not null,
  -- SMART v2 scopes the client may be granted at most, space-separated.
  allowed_scopes text not null,
  created_at timestamptz not null default now(),
  -- Set once: a revoked client gets no token, and its live tokens are refused.
  revoked_at timestamptz,
  check ((organization_id is null) <> (professional_id is null))
);
create index software_client_by_professional on software_client (professional_id) where professional_id is not null;
create index software_client_by_organization on software_client (organization_id) where organization_id is not null;
