-- Organisations (FINESS) and professionals (RPPS): the directory that documents, messages and
-- access decisions refer to. Not patient-owned: on a distributed PostgreSQL these are reference
-- tables (small, replicated to every node).
create table organization (
  organization_id uuid primary key,
  finess char(9) not null unique,
  name text not null,
  created_at timestamptz not null default now()
);

create table professional (
  professional_id uuid primary key,
  rpps char(11) not null unique,
  family_name text not null,
  given_name text not null,
  -- TRE-G15 profession and TRE-R38 specialty codes (shared/domain/codes).
  profession_code text not null,
  specialty_code text,
  organization_id uuid references organization (organization_id),
  created_at timestamptz not null default now()
);

-- A patient's space. patient_id is the distribution column of every patient-owned table.
create table patient (
  patient_id uuid primary key,
  -- INS identity traits, normalised (upper case, no diacritics) as the national rules require.
  birth_family_name text not null,
  first_names text not null,
  birth_date date not null,
  sex char(1) not null check (sex in ('M', 'F')),
  birthplace_code char(5) not null,
  ins_matricule char(15) not null,
  ins_oid text not null,
  created_at timestamptz not null default now()
);

-- Finds a patient from their INS. Keyed by the INS, not by patient_id: on a distributed
-- PostgreSQL it is distributed on ins_matricule, a routing table beside the patients' shards.
create table patient_ins (
  ins_matricule char(15) primary key,
  patient_id uuid not null
);
