import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { AccountKind } from './account.table.ts';

/** The kind of an account and the space it holds, if any: where its events are recorded. */
export async function findAccountSubject(
  db: Kysely<Database>,
  accountId: string,
): Promise<{ kind: AccountKind; patientId: string | null } | undefined> {
  const row = await db
    .selectFrom('account as a')
    .leftJoin('patient_holder as h', 'h.account_id', 'a.account_id')
    .select(['a.kind', 'h.patient_id'])
    .where('a.account_id', '=', accountId)
    .executeTakeFirst();
  return row === undefined ? undefined : { kind: row.kind, patientId: row.patient_id };
}
