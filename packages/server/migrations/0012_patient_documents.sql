-- The patient's view of their documents: one row per document in the space, written in the same
-- transaction as the DocumentReference in the FHIR store (documents/), so that the patient app
-- lists, filters, counts and searches a space's documents from one table and one index, and keeps
-- the patient's own organisation of them (folders, pins, read marks, stays) beside the metadata.
-- Patient-owned: patient_id leads every key.
create table document_folder (
  patient_id uuid not null references patient (patient_id),
  folder_id uuid not null,
  name text not null check (length(name) between 1 and 100),
  created_at timestamptz not null default now(),
  primary key (patient_id, folder_id)
);

create table hospital_stay (
  patient_id uuid not null references patient (patient_id),
  stay_id uuid not null,
  label text not null check (length(label) between 1 and 200),
  start_date date not null,
  end_date date,
  created_at timestamptz not null default now(),
  primary key (patient_id, stay_id),
  check (end_date is null or end_date >= start_date)
);

create table patient_document (
  patient_id uuid not null references patient (patient_id),
  -- The DocumentReference's id in the FHIR store.
  document_id uuid not null,
  -- The Binary's id: the encrypted file in the blob store has the same id.
  file_id uuid not null,
  title text not null,
  -- Patient-facing category (codes/mes-document-categories), from the type code at filing.
  category text not null,
  type_code text not null,
  type_system text not null,
  type_display text not null,
  class_code text,
  -- When it was written, and when it reached the space.
  document_date timestamptz not null,
  filed_at timestamptz not null default now(),
  -- Who filed it: 'professional' (filer_id = RPPS), 'patient' (filer_id = patient_id).
  filer_kind text not null check (filer_kind in ('professional', 'patient')),
  filer_id text not null,
  author_name text,
  organization_name text,
  content_type text not null,
  size bigint not null check (size >= 0),
  -- JDV_J58 codes on the document (N, MASQUE_PS, INVISIBLE_PATIENT, …).
  confidentiality text[] not null default '{N}',
  -- FHIR status: current, superseded (replaced), entered-in-error (deleted by its author).
  status text not null default 'current' check (status in ('current', 'superseded', 'entered-in-error')),
  archived boolean not null default false,
  -- The patient's own organisation.
  folder_id uuid,
  stay_id uuid,
  pinned boolean not null default false,
  read_at timestamptz,
  -- French full-text search: title and metadata at filing, extracted text added by a job.
  extracted_text text,
  search_vector tsvector not null default ''::tsvector,
  primary key (patient_id, document_id),
  foreign key (patient_id, folder_id) references document_folder (patient_id, folder_id),
  foreign key (patient_id, stay_id) references hospital_stay (patient_id, stay_id)
);

-- The app's list: a patient's current documents by category, newest first.
create index patient_document_list on patient_document (patient_id, category, document_date desc, document_id);
create index patient_document_search on patient_document using gin (search_vector);
