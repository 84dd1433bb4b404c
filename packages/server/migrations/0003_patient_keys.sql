-- Envelope encryption of patients' files (docs/security.md): each patient's files are encrypted
-- under their own data key, stored here wrapped (encrypted) by the master key, which is never in
-- the database. Destroying a patient's key (crypto-shredding) nulls wrapped_key and keeps the row
-- as the record that it happened. Patient-owned: distributed on patient_id.
create table patient_data_key (
  patient_id uuid not null,
  -- A new version would let a patient's files move to a fresh key; each file names its version.
  key_version integer not null check (key_version > 0),
  -- format version | IV | GCM tag | encrypted key, with (patient_id, key_version) authenticated.
  wrapped_key bytea,
  -- Which master key wrapped it (first 8 bytes of SHA-256 of that key, hex), for rotations.
  master_key_id text collate "C",
  created_at timestamptz not null default now(),
  destroyed_at timestamptz,
  primary key (patient_id, key_version),
  check (
    (destroyed_at is null and wrapped_key is not null and master_key_id is not null)
    or (destroyed_at is not null and wrapped_key is null and master_key_id is null)
  )
);

-- A rotation re-wraps the live keys of one master key in primary-key order, and the start-up
-- check looks for master keys it was not given: both read only this index.
create index patient_data_key_by_master_key
  on patient_data_key (master_key_id, patient_id, key_version)
  where wrapped_key is not null;
