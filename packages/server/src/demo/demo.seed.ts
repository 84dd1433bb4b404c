import type { Kysely } from 'kysely';
import { createPasswordHasher } from '../accounts/password-hasher.ts';
import type { Database } from '../db/database.ts';
import { deleteDemoDocuments } from '../mhd/demo-documents.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_CARE_ROLES,
  DEMO_ORGANIZATIONS,
  DEMO_PASSWORD,
  DEMO_PATIENTS,
  DEMO_PROFESSIONALS,
  DEMO_SOFTWARE_CLIENTS,
} from './demo.data.ts';

export interface DemoSeedResult {
  patients: number;
  professionals: number;
  organizations: number;
  accounts: number;
}

/**
 * Writes the demo population, replacing earlier demo rows (matched by their fixed ids) and leaving
 * every other row alone. One transaction: a reseed is all or nothing.
 */
export async function seedDemo(db: Kysely<Database>): Promise<DemoSeedResult> {
  const patientIds = DEMO_PATIENTS.map((p) => p.patient_id);
  const professionalIds = DEMO_PROFESSIONALS.map((p) => p.professional_id);
  const organizationIds = DEMO_ORGANIZATIONS.map((o) => o.organization_id);
  const accountIds = DEMO_ACCOUNTS.map((a) => a.account_id);
  // Each account gets its own salt; argon2 runs before the transaction, not inside it.
  const hasher = await createPasswordHasher();
  const hashes = await Promise.all(DEMO_ACCOUNTS.map(() => hasher.hash(DEMO_PASSWORD)));
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    // Accounts first (they point at patients and professionals); their sessions, codes and
    // links go with them (ON DELETE CASCADE). A reseed also forgets enrolled second factors.
    await trx.deleteFrom('patient_holder').where('account_id', 'in', accountIds).execute();
    await trx.deleteFrom('patient_holder').where('patient_id', 'in', patientIds).execute();
    await trx.deleteFrom('account').where('account_id', 'in', accountIds).execute();
    // What the demo patients decided about professionals, and what professionals declared.
    for (const table of ['professional_block', 'professional_role', 'consent_declaration', 'emergency_access', 'emergency_access_setting'] as const) {
      await trx.deleteFrom(table).where('patient_id', 'in', patientIds).execute();
    }
    // Their documents (mhd/demo-documents.ts files them again at the next start in demo mode).
    await deleteDemoDocuments(trx, patientIds);
    await trx.deleteFrom('patient_ins').where('patient_id', 'in', patientIds).execute();
    await trx.deleteFrom('patient').where('patient_id', 'in', patientIds).execute();
    // Software of the demo people and organisation goes too, or it would hold them in place.
    await trx
      .deleteFrom('software_client')
      .where((eb) =>
        eb.or([
          eb('client_id', 'in', DEMO_SOFTWARE_CLIENTS.map((c) => c.client_id)),
          eb('professional_id', 'in', professionalIds),
          eb('organization_id', 'in', organizationIds),
        ]),
      )
      .execute();
    await trx.deleteFrom('professional').where('professional_id', 'in', professionalIds).execute();
    await trx.deleteFrom('organization').where('organization_id', 'in', organizationIds).execute();
    await trx.insertInto('organization').values(DEMO_ORGANIZATIONS.map((o) => ({ ...o }))).execute();
    await trx.insertInto('professional').values(DEMO_PROFESSIONALS.map((p) => ({ ...p }))).execute();
    await trx
      .insertInto('software_client')
      .values(DEMO_SOFTWARE_CLIENTS.map((c) => ({ ...c, jwks: JSON.stringify(c.jwks) })))
      .execute();
    await trx.insertInto('patient').values(DEMO_PATIENTS.map((p) => ({ ...p }))).execute();
    await trx
      .insertInto('patient_ins')
      .values(DEMO_PATIENTS.map(({ ins_matricule, patient_id }) => ({ ins_matricule, patient_id })))
      .execute();
    await trx
      .insertInto('account')
      .values(
        DEMO_ACCOUNTS.map(({ patient_id: _patient, ...account }, i) => ({
          ...account,
          password_hash: hashes[i]!,
          password_changed_at: now,
        })),
      )
      .execute();
    await trx
      .insertInto('patient_holder')
      .values(
        DEMO_ACCOUNTS.flatMap((a) => (a.patient_id === null ? [] : [{ patient_id: a.patient_id, account_id: a.account_id }])),
      )
      .execute();
    await trx
      .insertInto('professional_role')
      .values(DEMO_CARE_ROLES.map((r) => ({ ...r, declared_at: now })))
      .execute();
  });
  return {
    patients: DEMO_PATIENTS.length,
    professionals: DEMO_PROFESSIONALS.length,
    organizations: DEMO_ORGANIZATIONS.length,
    accounts: DEMO_ACCOUNTS.length,
  };
}
