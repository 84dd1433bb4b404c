import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../db/database.ts';
import type { SoftwareClientTable } from './oauth.table.ts';

type Db = Kysely<Database>;

export type SoftwareClientRow = Selectable<SoftwareClientTable>;

export async function findSoftwareClient(db: Db, clientId: string): Promise<SoftwareClientRow | undefined> {
  return db.selectFrom('software_client').selectAll().where('client_id', '=', clientId).executeTakeFirst();
}

export async function insertSoftwareClient(db: Db, row: Insertable<SoftwareClientTable>): Promise<void> {
  await db.insertInto('software_client').values(row).execute();
}

export async function listClientsOfProfessional(db: Db, professionalId: string): Promise<SoftwareClientRow[]> {
  return db
    .selectFrom('software_client')
    .selectAll()
    .where('professional_id', '=', professionalId)
    .orderBy('created_at', 'desc')
    .orderBy('client_id')
    .execute();
}

/** Revokes a live client of the professional; false when they have no such live client. */
export async function revokeClientOfProfessional(db: Db, professionalId: string, clientId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('software_client')
    .set({ revoked_at: now })
    .where('client_id', '=', clientId)
    .where('professional_id', '=', professionalId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The directory entry of a professional, with their Carnet account if they have one. */
export interface DirectoryProfessional {
  professional_id: string;
  rpps: string;
  profession_code: string;
  specialty_code: string | null;
  organization_id: string | null;
  account_id: string | null;
}

export async function findProfessionalByRpps(db: Db, rpps: string): Promise<DirectoryProfessional | undefined> {
  return db
    .selectFrom('professional')
    .leftJoin('account', 'account.professional_id', 'professional.professional_id')
    .select([
      'professional.professional_id',
      'professional.rpps',
      'professional.profession_code',
      'professional.specialty_code',
      'professional.organization_id',
      'account.account_id',
    ])
    .where('professional.rpps', '=', rpps)
    .executeTakeFirst();
}

export async function findProfessionalById(db: Db, professionalId: string): Promise<{ rpps: string } | undefined> {
  return db.selectFrom('professional').select('rpps').where('professional_id', '=', professionalId).executeTakeFirst();
}

export async function findFiness(db: Db, organizationId: string): Promise<string | undefined> {
  const row = await db.selectFrom('organization').select('finess').where('organization_id', '=', organizationId).executeTakeFirst();
  return row?.finess;
}
