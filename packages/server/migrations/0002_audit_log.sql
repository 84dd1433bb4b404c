-- The audit log (DESIGN.md §4, security checklist I1–I4): every access decision about a patient's
-- data, append-only, one hash chain per patient. Entry `seq` of a chain carries the hash of entry
-- `seq - 1` (the first one, 32 zero bytes), so that an edited or removed entry breaks the chain;
-- signed checkpoints of the chain heads, kept outside the database, catch a cut-off tail. The
-- hash encoding is specified in src/audit/audit.hash.ts. Entries about no patient (an operator's
-- settings) form the system chain, under the nil UUID. Patient-owned: distributed on patient_id.
create table audit_entry (
  patient_id uuid not null,
  -- Position in the patient's chain, from 1, without gaps.
  seq bigint not null check (seq > 0),
  occurred_at timestamptz not null,
  actor_type text not null
    check (actor_type in ('patient', 'professional', 'operator', 'software', 'app', 'system')),
  actor_id text not null,
  -- The patient a delegate or legal representative acts for, when not themselves.
  on_behalf_of text,
  -- What was attempted, e.g. 'document.read'.
  action text not null,
  resource_type text,
  resource_id text,
  purpose text,
  outcome text not null check (outcome in ('permit', 'deny')),
  -- The policy's reason code (own-record, professional-care…), never free text.
  reason text not null,
  source_ip inet,
  prev_hash bytea not null check (octet_length(prev_hash) = 32),
  hash bytea not null check (octet_length(hash) = 32),
  primary key (patient_id, seq)
);

-- The head (last seq and hash) of each chain. Appending locks this row, which serialises the
-- appends of one patient, including the very first one, without touching other patients; and a
-- checkpoint reads one row per chain instead of every entry. Verification never trusts it: it
-- recomputes the chains from audit_entry.
create table audit_chain_head (
  patient_id uuid primary key,
  seq bigint not null check (seq >= 0),
  hash bytea not null check (octet_length(hash) = 32)
);
