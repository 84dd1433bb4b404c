import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PreparingClient } from './prepared-statements.ts';
import type { AuditChainHeadTable, AuditEntryTable } from '../audit/audit.table.ts';
import type { AccountIdentityTable, AccountTable, PatientHolderTable } from '../accounts/account.table.ts';
import type {
  AccessMatrixProfessionTable,
  AccessMatrixTable,
  ConsentDeclarationTable,
  EmergencyAccessSettingTable,
  EmergencyAccessTable,
  ProfessionalBlockTable,
  ProfessionalRoleTable,
} from '../care-team/care-team.table.ts';
import type { PatientDataKeyTable } from '../crypto/patient-keys.table.ts';
import type { OrganizationTable, ProfessionalTable } from '../directory/directory.table.ts';
import type {
  FhirResourceRouteTable,
  FhirResourceTable,
  FhirResourceVersionTable,
  FhirSearchDateTable,
  FhirSearchReferenceTable,
  FhirSearchStringTable,
  FhirSearchTokenTable,
} from '../fhir-store/fhir-store.table.ts';
import type { DocumentFileIntentTable, PatientDocumentFilingColumns } from '../documents/document-filing.table.ts';
import type { DocumentFolderTable, HospitalStayTable, PatientDocumentTable } from '../documents/patient-document.table.ts';
import type { JobTable } from '../jobs/job.table.ts';
import type { AuthThrottleTable, EmailCodeTable, PasswordResetTable } from '../login/login.table.ts';
import type { OauthStateTable, SoftwareClientTable } from '../oauth/oauth.table.ts';
import type { OidcLoginTable } from '../oidc/oidc-login.table.ts';
import type { PatientInsTable, PatientTable } from '../patients/patients.table.ts';
import type { AccountSessionTable } from '../sessions/session.table.ts';
import type { PatientSettingsTable } from '../settings/settings.table.ts';

export interface Database {
  organization: OrganizationTable;
  professional: ProfessionalTable;
  patient: PatientTable;
  patient_ins: PatientInsTable;
  patient_data_key: PatientDataKeyTable;
  patient_settings: PatientSettingsTable;
  account: AccountTable;
  patient_holder: PatientHolderTable;
  account_identity: AccountIdentityTable;
  account_session: AccountSessionTable;
  email_code: EmailCodeTable;
  password_reset: PasswordResetTable;
  auth_throttle: AuthThrottleTable;
  oidc_login: OidcLoginTable;
  audit_entry: AuditEntryTable;
  audit_chain_head: AuditChainHeadTable;
  access_matrix: AccessMatrixTable;
  access_matrix_profession: AccessMatrixProfessionTable;
  professional_block: ProfessionalBlockTable;
  professional_role: ProfessionalRoleTable;
  consent_declaration: ConsentDeclarationTable;
  emergency_access_setting: EmergencyAccessSettingTable;
  emergency_access: EmergencyAccessTable;
  fhir_resource: FhirResourceTable;
  fhir_resource_version: FhirResourceVersionTable;
  fhir_resource_route: FhirResourceRouteTable;
  fhir_search_token: FhirSearchTokenTable;
  fhir_search_string: FhirSearchStringTable;
  fhir_search_date: FhirSearchDateTable;
  fhir_search_reference: FhirSearchReferenceTable;
  job: JobTable;
  oauth_state: OauthStateTable;
  software_client: SoftwareClientTable;
  patient_document: PatientDocumentTable & PatientDocumentFilingColumns;
  document_file_intent: DocumentFileIntentTable;
  document_folder: DocumentFolderTable;
  hospital_stay: HospitalStayTable;
}

// PostgreSQL `date` has no time zone; pg would turn it into a local-midnight Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: 'carnet', Client: PreparingClient });
  // An idle connection dropped by the server (a restart, a failover) emits 'error' on the pool;
  // unhandled, it would crash the process. The pool discards that client and reconnects on demand.
  pool.on('error', () => {});
  return pool;
}

export function createKysely(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
