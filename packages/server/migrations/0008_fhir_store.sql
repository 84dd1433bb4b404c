-- The FHIR resource store (FHIR R4 http.html, search.html): documents, lists and, later, profile,
-- agenda and messaging resources of one patient's space. Every table but the routing table is
-- patient-owned: patient_id leads every key, so that the schema runs on Citus distributed by it.

-- The current version of each resource, as served. A deleted resource keeps its row (deleted,
-- with its last content) so that a read answers 410 Gone, and the access rules can still decide on it.
create table fhir_resource (
  patient_id uuid not null references patient (patient_id),
  resource_type text not null,
  id text not null,
  version_id integer not null,
  last_updated timestamptz not null,
  deleted boolean not null default false,
  content jsonb not null,
  primary key (patient_id, resource_type, id)
);
-- A patient's resources of one type, newest first: the default search order, paged by keyset.
create index fhir_resource_recent on fhir_resource (patient_id, resource_type, last_updated desc, id) where not deleted;

-- Every version, the current one included (vread, _history). A deletion is a version without content.
create table fhir_resource_version (
  patient_id uuid not null,
  resource_type text not null,
  id text not null,
  version_id integer not null,
  last_updated timestamptz not null,
  deleted boolean not null default false,
  content jsonb,
  primary key (patient_id, resource_type, id, version_id)
);

-- Finds the space of a resource from its type and id, as a read of /DocumentReference/<id> must.
-- Keyed by the resource, not by patient_id: on Citus it is distributed by id, a routing table
-- beside the patients' shards (like patient_ins), and a read is two single-shard lookups.
create table fhir_resource_route (
  resource_type text not null,
  id text not null,
  patient_id uuid not null,
  primary key (resource_type, id)
);

-- Search values of the current versions, extracted with the SearchParameters' FHIRPath
-- expressions. Written in the transaction of the resource's version; deleted resources have none.

-- token and uri: system ('' when none) and code, compared exactly.
create table fhir_search_token (
  patient_id uuid not null,
  resource_type text not null,
  resource_id text not null,
  param text not null,
  system text not null,
  code text not null
);
create index fhir_search_token_value on fhir_search_token (patient_id, resource_type, param, code);
create index fhir_search_token_resource on fhir_search_token (patient_id, resource_type, resource_id);

-- string: as written (for :exact) and normalised (lower case, no accents) for the default
-- starts-with and :contains matches. A patient's rows are few: the resource index is enough.
create table fhir_search_string (
  patient_id uuid not null,
  resource_type text not null,
  resource_id text not null,
  param text not null,
  value text not null,
  normalized text not null
);
create index fhir_search_string_resource on fhir_search_string (patient_id, resource_type, resource_id);

-- date: the range [lo, hi) a date, dateTime, instant or Period stands for.
create table fhir_search_date (
  patient_id uuid not null,
  resource_type text not null,
  resource_id text not null,
  param text not null,
  lo timestamptz not null,
  hi timestamptz not null
);
create index fhir_search_date_resource on fhir_search_date (patient_id, resource_type, resource_id);

-- reference: the target's type and id, from `Type/id` references, relative or absolute (contained
-- `#id` and logical references are not indexed).
create table fhir_search_reference (
  patient_id uuid not null,
  resource_type text not null,
  resource_id text not null,
  param text not null,
  target_type text not null,
  target_id text not null
);
create index fhir_search_reference_resource on fhir_search_reference (patient_id, resource_type, resource_id);
