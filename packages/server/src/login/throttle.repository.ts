import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

/**
 * Counts one hit in a fixed window and returns the count so far. One statement, so concurrent
 * requests on several nodes count exactly (PostgreSQL's ON CONFLICT takes the row lock).
 */
export async function countHit(db: Db, bucket: string, keyHash: string, now: Date, windowMs: number) {
  const windowOpen = new Date(now.getTime() - windowMs);
  return db
    .insertInto('auth_throttle')
    .values({ bucket, key_hash: keyHash, window_start: now, hits: 1, locked_until: null })
    .onConflict((oc) =>
      oc.columns(['bucket', 'key_hash']).doUpdateSet({
        window_start: sql<Date>`case when auth_throttle.window_start <= ${windowOpen}::timestamptz then ${now}::timestamptz else auth_throttle.window_start end`,
        hits: sql<number>`case when auth_throttle.window_start <= ${windowOpen}::timestamptz then 1 else auth_throttle.hits + 1 end`,
      }),
    )
    .returning(['hits', 'window_start', 'locked_until'])
    .executeTakeFirstOrThrow();
}

export async function lockedUntil(db: Db, bucket: string, keyHash: string): Promise<Date | null> {
  const row = await db
    .selectFrom('auth_throttle')
    .select('locked_until')
    .where('bucket', '=', bucket)
    .where('key_hash', '=', keyHash)
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

/** Locks the key until `until` and starts counting afresh. */
export async function lock(db: Db, bucket: string, keyHash: string, now: Date, until: Date): Promise<void> {
  await db
    .updateTable('auth_throttle')
    .set({ locked_until: until, hits: 0, window_start: now })
    .where('bucket', '=', bucket)
    .where('key_hash', '=', keyHash)
    .execute();
}

export async function forget(db: Db, bucket: string, keyHash: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('bucket', '=', bucket).where('key_hash', '=', keyHash).execute();
}
