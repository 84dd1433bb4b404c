-- Filing documents (issue 4, documents/): what makes a filing idempotent and crash-safe.

-- The document's uniqueId (DocumentReference.masterIdentifier) and the SHA-1 of its content: the
-- same document sent again by the same filer is recognised (no duplicate), a different content
-- under the same uniqueId refused. Unique per space; patient_id leads the key (Citus).
alter table patient_document add column master_identifier text;
alter table patient_document add column content_sha1 text;
create unique index patient_document_master_identifier on patient_document (patient_id, master_identifier);

-- A file about to be written to the blob store, recorded (and committed) before the write. The
-- filing transaction deletes its rows; a crash between the write and the commit leaves a row, and
-- the reconciler (documents/orphan-files.ts) deletes the file once the row is older than a grace
-- period and no document names the file. This works for every blob backend, without listing them.
create table document_file_intent (
  patient_id uuid not null references patient (patient_id),
  file_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (patient_id, file_id)
);
create index document_file_intent_age on document_file_intent (created_at);
