import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

export interface ProfessionalName {
  rpps: string;
  givenName: string;
  familyName: string;
  professionCode: string;
  organization: string | null;
}

/** Professionals of the directory by RPPS, with the name of their organisation. */
export async function findProfessionalsByRpps(db: Db, rppsList: readonly string[]): Promise<ProfessionalName[]> {
  if (rppsList.length === 0) return [];
  return db
    .selectFrom('professional')
    .leftJoin('organization', 'organization.organization_id', 'professional.organization_id')
    .select([
      'professional.rpps as rpps',
      'professional.given_name as givenName',
      'professional.family_name as familyName',
      'professional.profession_code as professionCode',
      'organization.name as organization',
    ])
    .where('professional.rpps', 'in', rppsList)
    .execute();
}

export interface AccountName {
  accountId: string;
  kind: string;
  displayName: string;
}

export async function findAccountNames(db: Db, accountIds: readonly string[]): Promise<AccountName[]> {
  if (accountIds.length === 0) return [];
  return db
    .selectFrom('account')
    .select(['account_id as accountId', 'kind', 'display_name as displayName'])
    .where('account_id', 'in', accountIds)
    .execute();
}

/** The account that holds the space: its entries are "you" in the space's history. */
export async function findHolderAccountId(db: Db, patientId: string): Promise<string | undefined> {
  const row = await db.selectFrom('patient_holder').select('account_id').where('patient_id', '=', patientId).executeTakeFirst();
  return row?.account_id;
}
