-- TOTP secrets encrypted at rest (docs/security.md, "the key hierarchy"). Each secret is sealed
-- with AES-256-GCM under the master key, bound to its account and column, and stored with the id
-- of the master key that sealed it, so that `npm run keys:rotate` finds and re-seals it and the
-- start-up check notices a secret sealed by a key it was not given.
--
-- Secrets enrolled before this migration are in clear, and SQL cannot encrypt them: the master key
-- never enters the database. Dropping them would leave those accounts with no second factor, and
-- an account with none enrols one with its password alone, so a stolen password would become a
-- second factor. They move instead to totp_secret_cleartext, which Carnet's start-up step seals
-- into totp_secret (emptying the clear column) before it serves any request; a later migration
-- drops that column. Enrolments in progress (a pending secret, minutes old) are dropped: they
-- start again at the next login. Nodes of the previous version read totp_secret as text: stop them
-- all before the first node of this version starts (docs/operations.md). A demo database is
-- re-seeded by `npm run demo` and needs none of this.
alter table account rename column totp_secret to totp_secret_cleartext;
alter table account drop column totp_pending_secret;
alter table account
  add column totp_secret bytea,
  add column totp_secret_key_id text collate "C",
  add column totp_pending_secret bytea,
  add column totp_pending_secret_key_id text collate "C",
  add constraint account_totp_secret_sealed check ((totp_secret is null) = (totp_secret_key_id is null)),
  add constraint account_totp_pending_secret_sealed
    check ((totp_pending_secret is null) = (totp_pending_secret_key_id is null));

-- The start-up check for master keys it was not given and a rotation read only these indexes,
-- as they do patient_data_key_by_master_key.
create index account_totp_secret_by_master_key
  on account (totp_secret_key_id, account_id) where totp_secret_key_id is not null;
create index account_totp_pending_secret_by_master_key
  on account (totp_pending_secret_key_id, account_id) where totp_pending_secret_key_id is not null;
-- The start-up step looks for secrets left in clear at every start; once sealed, none are left.
create index account_totp_secret_cleartext on account (account_id) where totp_secret_cleartext is not null;
