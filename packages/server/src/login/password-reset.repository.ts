import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { PasswordResetTable } from './login.table.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertPasswordReset(db: Db, row: PasswordResetTable): Promise<void> {
  await db.insertInto('password_reset').values(row).execute();
}

export async function findUsableReset(db: Db, tokenHash: Buffer, now: Date) {
  return db
    .selectFrom('password_reset')
    .select(['account_id', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Marks the link used; false when another request used it first (single use under races). */
export async function useReset(db: Db, tokenHash: Buffer, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('password_reset')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Once a password is reset, the account's other reset links die with it. */
export async function retireResets(db: Db, accountId: string, now: Date): Promise<void> {
  await db
    .updateTable('password_reset')
    .set({ used_at: now })
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .execute();
}
