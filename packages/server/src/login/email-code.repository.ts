import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { EmailCodeTable } from './login.table.ts';

type Db = Kysely<Database>;

/** One live code per login: a new one replaces the last. */
export async function saveEmailCode(db: Db, row: EmailCodeTable): Promise<void> {
  await db
    .insertInto('email_code')
    .values(row)
    .onConflict((oc) =>
      oc.column('session_id').doUpdateSet({
        code_hash: row.code_hash,
        attempts: 0,
        created_at: row.created_at,
        expires_at: row.expires_at,
      }),
    )
    .execute();
}

/**
 * Consumes the code if it is this login's, unexpired: the delete is the check, so the same code
 * cannot pass twice even when two requests race (single use, ASVS 5.0 6.5.1).
 */
export async function consumeEmailCode(db: Db, sessionId: string, codeHash: Buffer, now: Date): Promise<boolean> {
  const row = await db
    .deleteFrom('email_code')
    .where('session_id', '=', sessionId)
    .where('code_hash', '=', codeHash)
    .where('expires_at', '>', now)
    .returning('session_id')
    .executeTakeFirst();
  return row !== undefined;
}
