import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database>;

export interface StoredState {
  payload: Record<string, unknown>;
  consumedAt: Date | null;
}

const live = (now: Date) => sql<boolean>`(expires_at is null or expires_at > ${now})`;

export async function findState(db: Db, model: string, id: string, now: Date): Promise<StoredState | undefined> {
  const row = await db
    .selectFrom('oauth_state')
    .select(['payload', 'consumed_at'])
    .where('model', '=', model)
    .where('id', '=', id)
    .where(live(now))
    .executeTakeFirst();
  return row === undefined ? undefined : { payload: row.payload, consumedAt: row.consumed_at };
}

export async function findStateBy(
  db: Db,
  model: string,
  column: 'uid' | 'user_code',
  value: string,
  now: Date,
): Promise<StoredState | undefined> {
  const row = await db
    .selectFrom('oauth_state')
    .select(['payload', 'consumed_at'])
    .where('model', '=', model)
    .where(column, '=', value)
    .where(live(now))
    .executeTakeFirst();
  return row === undefined ? undefined : { payload: row.payload, consumedAt: row.consumed_at };
}

export interface StateRow {
  model: string;
  id: string;
  payload: Record<string, unknown>;
  grantId: string | null;
  uid: string | null;
  userCode: string | null;
  expiresAt: Date | null;
}

function valuesOf(row: StateRow) {
  return {
    model: row.model,
    id: row.id,
    payload: JSON.stringify(row.payload),
    grant_id: row.grantId,
    uid: row.uid,
    user_code: row.userCode,
    expires_at: row.expiresAt,
    consumed_at: null,
  };
}

export async function upsertState(db: Db, row: StateRow): Promise<void> {
  const values = valuesOf(row);
  await db
    .insertInto('oauth_state')
    .values(values)
    .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(values))
    .execute();
}

/**
 * Inserts a row that must not exist yet, or replaces one that has expired; false when a live row
 * holds the id. One statement, so two nodes inserting the same id cannot both succeed.
 */
export async function insertUniqueState(db: Db, row: StateRow, now: Date): Promise<boolean> {
  const values = valuesOf(row);
  const inserted = await db
    .insertInto('oauth_state')
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(['model', 'id'])
        .doUpdateSet(values)
        .where(sql<boolean>`oauth_state.expires_at is not null and oauth_state.expires_at <= ${now}`),
    )
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function consumeState(db: Db, model: string, id: string, now: Date): Promise<void> {
  await db.updateTable('oauth_state').set({ consumed_at: now }).where('model', '=', model).where('id', '=', id).execute();
}

export async function deleteState(db: Db, model: string, id: string): Promise<void> {
  await db.deleteFrom('oauth_state').where('model', '=', model).where('id', '=', id).execute();
}

/** Every model of a grant (its codes, tokens, the grant itself): RFC 6749 §4.1.2, §10.5. */
export async function deleteStatesOfGrant(db: Db, grantId: string): Promise<void> {
  await db.deleteFrom('oauth_state').where('grant_id', '=', grantId).execute();
}

export async function purgeExpiredStates(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('oauth_state').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
