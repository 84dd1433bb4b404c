-- Access rules of the shared medical record (issue 4): the access matrix, the space's status, the
-- patient's controls over professionals (blocks, declared roles, consent declarations, emergency
-- switches) and professionals' emergency accesses. The rules themselves are in src/policy/.

-- A space is open, closed by its holder, or was never opened (opposition). The lifecycle feature
-- moves it; filing needs an active space.
alter table patient add column status text not null default 'active'
  check (status in ('active', 'closed', 'opposed'));

-- The holder's default for new documents: masked from professionals (MASQUE_PS) or not.
alter table patient_settings add column mask_new_documents boolean not null default false;

-- The access matrix: which document types (JDV_J07 typeCode) each profession (TRE_G15) may read.
-- Data, not code: operators replace it with `npm run access-matrix:import` (docs/access-rules.md).
-- Reference tables (no patient): replicated to every node on a distributed PostgreSQL.
-- allowed = typeCode in technical_type_codes OR ((default_access = 'allow') XOR typeCode in exceptions)
create table access_matrix (
  -- One row: the matrix in force.
  singleton boolean primary key default true check (singleton),
  -- The `id` and `title` of the file it came from.
  source_id text not null,
  title text not null,
  technical_type_codes text[] not null,
  imported_at timestamptz not null default now()
);

create table access_matrix_profession (
  -- TRE_G15 code (10 médecin, 60 infirmier…), or a local role such as NON_PS.
  profession_code text primary key,
  profession_system text not null,
  display text not null,
  default_access text not null check (default_access in ('allow', 'deny')),
  -- A disabled row reads nothing.
  enabled boolean not null,
  exception_type_codes text[] not null
);

-- The PROPOSED default (shared/domain/codes/access-matrix-default-proposed.json, also in
-- src/codes/data/): NOT the official DMP matrix, which should replace it when obtained. The NON_PS
-- row is disabled: access by non-health professionals is legally unsettled (Conseil d'État, 2025).
insert into access_matrix (source_id, title, technical_type_codes) values
  ('Carnet_DefaultAccessMatrix_Proposed', 'PROPOSED default access matrix: profession (TRE_G15) x document type (JDV_J07 typeCode) -> may consult', array['FEUILLE-DE-STYLE', 'E1762']::text[]);

insert into access_matrix_profession
  (profession_code, profession_system, display, default_access, enabled, exception_type_codes) values
  ('10', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Médecin', 'allow', true,
   array['ATTEST-RESID']::text[]),
  ('50', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Sage-Femme', 'allow', true,
   array['ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'PIECE-IDENTITE', '68599-0', '83901-9', '75496-0', '80788-3', '83981-1', '89601-9']::text[]),
  ('60', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Infirmier', 'allow', true,
   array['ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'PIECE-IDENTITE', '68599-0', '83901-9', '75496-0', '68817-6', '89601-9', '51969-4']::text[]),
  ('69', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Infirmier psychiatrique', 'allow', true,
   array['ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'PIECE-IDENTITE', '75496-0', '68817-6', '89601-9', '51969-4']::text[]),
  ('21', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Pharmacien', 'allow', true,
   array['ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'PIECE-IDENTITE', '68599-0', '83901-9', '75496-0', '68817-6', '89601-9', 'EXPPAT_3', 'EXPPAT_1', '15508-5', '57055-6', '57057-2', '57075-4', '78489-2', '89235-6', '89233-1', '97694-4', '100967-9', '80788-3', '83981-1']::text[]),
  ('40', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Chirurgien-Dentiste', 'allow', true,
   array['ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'PIECE-IDENTITE', '68599-0', '83901-9', '75496-0', '80788-3', '83981-1', 'EXPPAT_3', 'EXPPAT_1', '15508-5', '57055-6', '57057-2', '57075-4', '78489-2', '89235-6', '89233-1', '97694-4', '100967-9', '68817-6']::text[]),
  ('70', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Masseur-Kinésithérapeute', 'allow', true,
   array['ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'PIECE-IDENTITE', '68599-0', '83901-9', '75496-0', '80788-3', '83981-1', '68817-6', '89601-9', '15508-5', '57055-6', '57057-2', '57075-4', '78489-2', '89235-6', '89233-1', '97694-4', '100967-9', 'EXPPAT_3', 'EXPPAT_1', 'REMB', '51969-4', '55751-2']::text[]),
  ('80', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Pédicure-Podologue', 'allow', true,
   array['ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'PIECE-IDENTITE', '68599-0', '83901-9', '75496-0', '80788-3', '83981-1', '68817-6', '89601-9', '15508-5', '57055-6', '57057-2', '57075-4', '78489-2', '89235-6', '89233-1', '97694-4', '100967-9', 'EXPPAT_3', 'EXPPAT_1', 'REMB', '51969-4', '55751-2']::text[]),
  ('91', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Orthophoniste', 'allow', true,
   array['ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'PIECE-IDENTITE', '68599-0', '83901-9', '75496-0', '80788-3', '83981-1', '68817-6', '89601-9', '15508-5', '57055-6', '57057-2', '57075-4', '78489-2', '89235-6', '89233-1', '97694-4', '100967-9', 'EXPPAT_3', 'EXPPAT_1', 'REMB', '51969-4', '55751-2']::text[]),
  ('92', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Orthoptiste', 'allow', true,
   array['ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'PIECE-IDENTITE', '68599-0', '83901-9', '75496-0', '80788-3', '83981-1', '68817-6', '89601-9', '15508-5', '57055-6', '57057-2', '57075-4', '78489-2', '89235-6', '89233-1', '97694-4', '100967-9', 'EXPPAT_3', 'EXPPAT_1', 'REMB', '51969-4', '55751-2']::text[]),
  ('94', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Ergothérapeute', 'allow', true,
   array['ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'PIECE-IDENTITE', '68599-0', '83901-9', '75496-0', '80788-3', '83981-1', '68817-6', '89601-9', '15508-5', '57055-6', '57057-2', '57075-4', '78489-2', '89235-6', '89233-1', '97694-4', '100967-9', 'EXPPAT_3', 'EXPPAT_1', 'REMB', '51969-4', '55751-2']::text[]),
  ('95', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Diététicien', 'allow', true,
   array['ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'PIECE-IDENTITE', '68599-0', '83901-9', '75496-0', '80788-3', '83981-1', '68817-6', '89601-9', '15508-5', '57055-6', '57057-2', '57075-4', '78489-2', '89235-6', '89233-1', '97694-4', '100967-9', 'EXPPAT_3', 'EXPPAT_1', 'REMB', '51969-4', '55751-2']::text[]),
  ('96', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Psychomotricien', 'allow', true,
   array['ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'PIECE-IDENTITE', '68599-0', '83901-9', '75496-0', '80788-3', '83981-1', '68817-6', '89601-9', '15508-5', '57055-6', '57057-2', '57075-4', '78489-2', '89235-6', '89233-1', '97694-4', '100967-9', 'EXPPAT_3', 'EXPPAT_1', 'REMB', '51969-4', '55751-2']::text[]),
  ('26', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Audioprothésiste', 'deny', true,
   array['DOCPAT01', '57828-6', '57833-6', '60591-5', '34133-9', 'SYNTH', '74207-2', '11488-4', 'FICHE-CONTACTS', '56446-8', '59284-0', 'AUTORIS-SOINS', '34120-6', '47420-5', '11506-3', '101881-1']::text[]),
  ('28', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Opticien-Lunetier', 'deny', true,
   array['DOCPAT01', '57828-6', '57833-6', '60591-5', '34133-9', 'SYNTH', '74207-2', '11488-4', 'FICHE-CONTACTS', '56446-8', '59284-0', 'AUTORIS-SOINS', '78513-9']::text[]),
  ('81', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Orthoprothésiste', 'deny', true,
   array['DOCPAT01', '57828-6', '57833-6', '60591-5', '34133-9', 'SYNTH', '74207-2', '11488-4', 'FICHE-CONTACTS', '56446-8', '59284-0', 'AUTORIS-SOINS', '34120-6', '47420-5', '11506-3', '101881-1', '18748-4', '52040-3', 'IMG-KOS', 'DOCPAT04', '55115-0', '34794-8', '18776-5']::text[]),
  ('82', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Podo-Orthésiste', 'deny', true,
   array['DOCPAT01', '57828-6', '57833-6', '60591-5', '34133-9', 'SYNTH', '74207-2', '11488-4', 'FICHE-CONTACTS', '56446-8', '59284-0', 'AUTORIS-SOINS', '34120-6', '47420-5', '11506-3', '101881-1']::text[]),
  ('83', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Orthopédiste-Orthésiste', 'deny', true,
   array['DOCPAT01', '57828-6', '57833-6', '60591-5', '34133-9', 'SYNTH', '74207-2', '11488-4', 'FICHE-CONTACTS', '56446-8', '59284-0', 'AUTORIS-SOINS', '34120-6', '47420-5', '11506-3', '101881-1', '18748-4', '52040-3', 'IMG-KOS', 'DOCPAT04', '55115-0', '34794-8', '18776-5']::text[]),
  ('84', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Oculariste', 'deny', true,
   array['DOCPAT01', '57828-6', '57833-6', '60591-5', '34133-9', 'SYNTH', '74207-2', '11488-4', 'FICHE-CONTACTS', '56446-8', '59284-0', 'AUTORIS-SOINS', '78513-9', '34120-6', '47420-5', '11506-3', '101881-1']::text[]),
  ('85', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Epithésiste', 'deny', true,
   array['DOCPAT01', '57828-6', '57833-6', '60591-5', '34133-9', 'SYNTH', '74207-2', '11488-4', 'FICHE-CONTACTS', '56446-8', '59284-0', 'AUTORIS-SOINS', '34120-6', '47420-5', '11506-3', '101881-1']::text[]),
  ('86', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Technicien de laboratoire médical', 'deny', true,
   array['DOCPAT01', '57828-6', '57833-6', '60591-5', '34133-9', 'SYNTH', '74207-2', '11488-4', 'FICHE-CONTACTS', '56446-8', '59284-0', 'AUTORIS-SOINS', '11502-2', 'PRESC-BIO', 'DOCPAT05', '96173-0', '60568-3']::text[]),
  ('98', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Manipulateur ERM', 'deny', true,
   array['DOCPAT01', '57828-6', '57833-6', '60591-5', '34133-9', 'SYNTH', '74207-2', '11488-4', 'FICHE-CONTACTS', '56446-8', '59284-0', 'AUTORIS-SOINS', '18748-4', '52040-3', 'IMG-KOS', 'DOCPAT04', '55115-0', '34794-8', '18776-5']::text[]),
  ('32', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Physicien médical', 'deny', true,
   array['DOCPAT01', '57828-6', '57833-6', '60591-5', '34133-9', 'SYNTH', '74207-2', '11488-4', 'FICHE-CONTACTS', '56446-8', '59284-0', 'AUTORIS-SOINS', '18748-4', '52040-3', 'IMG-KOS', 'DOCPAT04', '55115-0', '34794-8', '18776-5']::text[]),
  ('31', 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', 'Assistant dentaire', 'deny', true,
   array['DOCPAT01', '57828-6', '57833-6', '60591-5', '34133-9', 'SYNTH', '74207-2', '11488-4', 'FICHE-CONTACTS', '56446-8', '59284-0', 'AUTORIS-SOINS', '28617-9', '83836-7']::text[]),
  ('NON_PS', 'urn:carnet:proposed-role', 'Professionnel non-PS de l''équipe de soins (social / médico-social / coordination)', 'deny', false,
   array['28653-4', '34842-5', '80788-3', '80771-9', '83981-1', '88348-8', 'BIL_AUTO', 'EXPORT_DUI', '18776-5', 'FICHE-CONTACTS', '56446-8', '59284-0', 'AUTORIS-SOINS', 'ATTEST-RESID', 'ATTEST-HEBGT', 'ATTEST-ASS-COMPL', 'ATTEST-DROITS-AM', 'DOCPAT09', '51851-4']::text[]);

-- The patient blocks a professional (by RPPS): the professional sees nothing of the space, not even
-- in an emergency, and may not file. Patient-owned: keyed by patient_id.
create table professional_block (
  patient_id uuid not null references patient (patient_id),
  rpps char(11) not null,
  blocked_at timestamptz not null,
  primary key (patient_id, rpps)
);

-- Roles the patient gives a professional. At most one treating doctor per space.
create table professional_role (
  patient_id uuid not null references patient (patient_id),
  rpps char(11) not null,
  role text not null
    check (role in ('MEDECIN_TRAITANT', 'SAGE_FEMME_REFERENTE', 'PHARMACIEN_CORRESPONDANT', 'ADMINISTRATEUR')),
  declared_at timestamptz not null,
  primary key (patient_id, rpps, role)
);
create unique index professional_role_one_treating_doctor on professional_role (patient_id)
  where role = 'MEDECIN_TRAITANT';

-- A professional's declaration that the patient consents to their reading the record (R.1111-46).
-- Withdrawing it deletes the row; the audit log keeps the history of both.
create table consent_declaration (
  patient_id uuid not null references patient (patient_id),
  rpps char(11) not null,
  declared_at timestamptz not null,
  primary key (patient_id, rpps)
);

-- The patient's emergency consents (ETREAT, BTG, MASKED). No row: the defaults below.
create table emergency_access_setting (
  patient_id uuid primary key references patient (patient_id),
  samu_regulation text not null default 'permit' check (samu_regulation in ('permit', 'deny')),
  break_the_glass text not null default 'permit' check (break_the_glass in ('permit', 'deny')),
  masked_in_emergency text not null default 'deny' check (masked_in_emergency in ('permit', 'deny')),
  updated_at timestamptz not null
);

-- A professional's emergency access to a space: time-limited, with the reason they wrote.
create table emergency_access (
  patient_id uuid not null references patient (patient_id),
  emergency_access_id uuid not null,
  rpps char(11) not null,
  mode text not null check (mode in ('break-the-glass', 'samu-regulation')),
  reason text,
  started_at timestamptz not null,
  expires_at timestamptz not null check (expires_at > started_at),
  primary key (patient_id, emergency_access_id)
);
create index emergency_access_by_professional on emergency_access (patient_id, rpps, expires_at);
