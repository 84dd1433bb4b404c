import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { OidcLoginTable } from './oidc-login.table.ts';

type Db = Kysely<Database>;

export async function saveOidcLogin(db: Db, row: OidcLoginTable): Promise<void> {
  await db.insertInto('oidc_login').values(row).execute();
}

/** Takes the flow out of the table: a callback is answered once (state and nonce are single use). */
export async function takeOidcLogin(db: Db, handleHash: Buffer, provider: string, now: Date) {
  const row = await db
    .deleteFrom('oidc_login')
    .where('handle_hash', '=', handleHash)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined || row.provider !== provider || row.expires_at.getTime() <= now.getTime()) return undefined;
  return row;
}

export async function purgeExpiredOidcLogins(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('oidc_login').where('expires_at', '<=', now).execute();
}
