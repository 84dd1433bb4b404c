import { type Kysely, sql, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { namesUnknownMasterKey } from './master-key-ids.ts';
import type { PatientDataKeyTable } from './patient-keys.table.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type PatientDataKeyRow = Selectable<PatientDataKeyTable>;

export async function findLatestKey(db: Db, patientId: string): Promise<PatientDataKeyRow | undefined> {
  return db
    .selectFrom('patient_data_key')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('key_version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findKey(db: Db, patientId: string, keyVersion: number): Promise<PatientDataKeyRow | undefined> {
  return db
    .selectFrom('patient_data_key')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('key_version', '=', keyVersion)
    .executeTakeFirst();
}

/** Inserts unless the version exists; concurrent callers then all read the one row that won. */
export async function insertKeyIfAbsent(
  db: Db,
  row: { patientId: string; keyVersion: number; wrappedKey: Buffer; masterKeyId: string },
): Promise<void> {
  await db
    .insertInto('patient_data_key')
    .values({
      patient_id: row.patientId,
      key_version: row.keyVersion,
      wrapped_key: row.wrappedKey,
      master_key_id: row.masterKeyId,
    })
    .onConflict((oc) => oc.columns(['patient_id', 'key_version']).doNothing())
    .execute();
}

/** A destroyed version 1 for a patient who had no key yet, so that none is ever made for them. */
export async function insertTombstoneIfAbsent(db: Db, patientId: string): Promise<void> {
  await db
    .insertInto('patient_data_key')
    .values({ patient_id: patientId, key_version: 1, wrapped_key: null, master_key_id: null, destroyed_at: sql<Date>`now()` })
    .onConflict((oc) => oc.columns(['patient_id', 'key_version']).doNothing())
    .execute();
}

/** Nulls the key material of every live version; returns how many were destroyed. */
export async function destroyKeys(db: Db, patientId: string): Promise<number> {
  const result = await db
    .updateTable('patient_data_key')
    .set({ wrapped_key: null, master_key_id: null, destroyed_at: sql<Date>`now()` })
    .where('patient_id', '=', patientId)
    .where('destroyed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface KeyCursor {
  patientId: string;
  keyVersion: number;
}

/** The next live keys wrapped by `masterKeyId` after `after`, in primary-key order. */
export async function listWrappedBy(
  db: Db,
  masterKeyId: string,
  after: KeyCursor | undefined,
  limit: number,
): Promise<PatientDataKeyRow[]> {
  let query = db
    .selectFrom('patient_data_key')
    .selectAll()
    .where('master_key_id', '=', masterKeyId)
    .where('wrapped_key', 'is not', null);
  if (after !== undefined) {
    query = query.where(({ eb, refTuple, tuple }) =>
      eb(refTuple('patient_id', 'key_version'), '>', tuple(after.patientId, after.keyVersion)),
    );
  }
  return query.orderBy('patient_id').orderBy('key_version').limit(limit).execute();
}

/**
 * Replaces wrapped keys in one statement, only where the row is still live and still wrapped by
 * `fromId`: a key destroyed meanwhile stays destroyed, and a row another run already re-wrapped is
 * left alone. Returns how many rows changed.
 */
export async function replaceWrappedKeys(
  db: Db,
  fromId: string,
  toId: string,
  rows: readonly { patientId: string; keyVersion: number; wrappedKey: Buffer }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const values = sql.join(
    rows.map((r) => sql`(${r.patientId}::uuid, ${r.keyVersion}::integer, ${r.wrappedKey}::bytea)`),
  );
  const result = await sql`
    update patient_data_key k
    set wrapped_key = v.wrapped_key, master_key_id = ${toId}
    from (values ${values}) as v (patient_id, key_version, wrapped_key)
    where k.patient_id = v.patient_id and k.key_version = v.key_version
      and k.master_key_id = ${fromId} and k.wrapped_key is not null`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function countWrappedBy(db: Db, masterKeyId: string): Promise<number> {
  const row = await db
    .selectFrom('patient_data_key')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('master_key_id', '=', masterKeyId)
    .where('wrapped_key', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** A master key id wrapping a live key that is not among `knownIds`, if any. */
export async function findUnknownMasterKeyId(db: Db, knownIds: readonly string[]): Promise<string | undefined> {
  const row = await db
    .selectFrom('patient_data_key')
    .select('master_key_id')
    .where('wrapped_key', 'is not', null)
    .where(namesUnknownMasterKey('master_key_id', knownIds))
    .limit(1)
    .executeTakeFirst();
  return row?.master_key_id ?? undefined;
}

/** How many live keys each master key wraps: a rotation's report. */
export async function countLiveKeysByMasterKey(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('patient_data_key')
    .select(['master_key_id', (eb) => eb.fn.countAll<string>().as('count')])
    .where('wrapped_key', 'is not', null)
    .groupBy('master_key_id')
    .execute();
  return new Map(rows.map((row) => [row.master_key_id!, Number(row.count)]));
}
