-- Accounts, sessions and everything login needs (docs/security.md, "Authentication and sessions").
-- None of these tables is patient-owned: they are keyed by account, session or token and carry no
-- patient_id, except patient_holder, which links a space to its holder and is keyed by patient_id.
-- On a distributed PostgreSQL they are reference or account-distributed tables.

-- One login: a patient, a professional or an operator. The same person may hold a patient account
-- and a professional one with the same e-mail address: each has its own login page.
create table account (
  account_id uuid primary key,
  kind text not null check (kind in ('patient', 'professional', 'operator')),
  -- Lower-cased; the login identifier and where codes and reset links are sent.
  email text collate "C" not null,
  display_name text not null,
  professional_id uuid unique references professional (professional_id),
  -- argon2id PHC string; null for an account that only logs in through an identity provider.
  password_hash text,
  password_changed_at timestamptz,
  -- Second factors. The TOTP secret (RFC 6238, base32) is confirmed by a first valid code; until
  -- then it waits in totp_pending_secret. totp_last_step refuses a code used once (RFC 6238 §5.2).
  totp_secret text,
  totp_pending_secret text,
  totp_last_step integer,
  email_otp_enabled boolean not null default false,
  created_at timestamptz not null default now(),
  disabled_at timestamptz,
  unique (kind, email),
  check ((kind = 'professional') = (professional_id is not null))
);

-- Which account holds a patient's space. Patient-owned, hence keyed by patient_id; found by account
-- through the index below. Legal representatives and delegates will get their own tables.
create table patient_holder (
  patient_id uuid primary key references patient (patient_id),
  account_id uuid not null references account (account_id)
);
create index patient_holder_by_account on patient_holder (account_id);

-- External identities (OpenID Connect): an account is found by (issuer, subject) and never by
-- e-mail (OpenID Connect Core §5.7; ASVS 5.0 6.8.1).
create table account_identity (
  issuer text collate "C" not null,
  subject text collate "C" not null,
  account_id uuid not null references account (account_id) on delete cascade,
  provider text not null,
  linked_at timestamptz not null,
  primary key (issuer, subject)
);
create index account_identity_by_account on account_identity (account_id);

-- Server-side sessions. The cookie carries a 256-bit random token; only its SHA-256 is stored, so
-- a copy of this table opens no session. session_id is the public name a user ends a session by.
create table account_session (
  session_id uuid primary key,
  token_hash bytea not null unique,
  account_id uuid not null references account (account_id) on delete cascade,
  -- 'second-factor': the password was right, the second factor is pending: no health data.
  stage text not null check (stage in ('second-factor', 'full')),
  -- Sent back in the x-csrf-token header on every state-changing request.
  csrf_token text collate "C" not null,
  -- How it was authenticated: pwd, otp (TOTP) as in RFC 8176; email (e-mailed code); ext (OIDC).
  auth_methods text[] not null,
  acr text,
  user_agent text,
  -- Wrong second-factor codes in this session.
  code_attempts integer not null default 0,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  ended_at timestamptz,
  end_reason text
);
create index account_session_live_by_account on account_session (account_id) where ended_at is null;

-- The one-time code mailed to confirm a login: one live code per session, deleted once used.
create table email_code (
  session_id uuid primary key references account_session (session_id) on delete cascade,
  code_hash bytea not null,
  attempts integer not null default 0,
  created_at timestamptz not null,
  expires_at timestamptz not null
);

-- Password reset links: single use, short-lived, stored hashed.
create table password_reset (
  token_hash bytea primary key,
  account_id uuid not null references account (account_id) on delete cascade,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_reset_by_account on password_reset (account_id);

-- Rate limits and lockouts, shared by every node. key_hash is a SHA-256 of what is counted (an
-- e-mail address, a source address): neither is kept in clear.
create table auth_throttle (
  bucket text collate "C" not null,
  key_hash text collate "C" not null,
  window_start timestamptz not null,
  hits integer not null,
  locked_until timestamptz,
  primary key (bucket, key_hash)
);

-- An OpenID Connect login in flight: state, nonce and PKCE verifier, found by the hash of a
-- short-lived cookie that binds the flow to the browser that started it.
create table oidc_login (
  handle_hash bytea primary key,
  provider text not null,
  intent text not null check (intent in ('login', 'link')),
  state text collate "C" not null,
  nonce text collate "C" not null,
  code_verifier text collate "C" not null,
  -- For 'link': the session that asked to link an identity to its account.
  session_id uuid references account_session (session_id) on delete cascade,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
