import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { DEMO_ORGANIZATIONS, DEMO_PATIENTS, DEMO_PROFESSIONALS } from './demo.data.ts';

export interface DemoSeedResult {
  patients: number;
  professionals: number;
  organizations: number;
}

/**
 * Writes the demo population, replacing earlier demo rows (matched by their fixed ids) and leaving
 * every other row alone. One transaction: a reseed is all or nothing.
 */
export async function seedDemo(db: Kysely<Database>): Promise<DemoSeedResult> {
  const patientIds = DEMO_PATIENTS.map((p) => p.patient_id);
  const professionalIds = DEMO_PROFESSIONALS.map((p) => p.professional_id);
  const organizationIds = DEMO_ORGANIZATIONS.map((o) => o.organization_id);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('patient_ins').where('patient_id', 'in', patientIds).execute();
    await trx.deleteFrom('patient').where('patient_id', 'in', patientIds).execute();
    await trx.deleteFrom('professional').where('professional_id', 'in', professionalIds).execute();
    await trx.deleteFrom('organization').where('organization_id', 'in', organizationIds).execute();
    await trx.insertInto('organization').values(DEMO_ORGANIZATIONS.map((o) => ({ ...o }))).execute();
    await trx.insertInto('professional').values(DEMO_PROFESSIONALS.map((p) => ({ ...p }))).execute();
    await trx.insertInto('patient').values(DEMO_PATIENTS.map((p) => ({ ...p }))).execute();
    await trx
      .insertInto('patient_ins')
      .values(DEMO_PATIENTS.map(({ ins_matricule, patient_id }) => ({ ins_matricule, patient_id })))
      .execute();
  });
  return {
    patients: DEMO_PATIENTS.length,
    professionals: DEMO_PROFESSIONALS.length,
    organizations: DEMO_ORGANIZATIONS.length,
  };
}
