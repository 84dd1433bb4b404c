import { type Kysely, sql, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
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

/**
 * A master key id in use that is not among `knownIds`, if any. Written as the ranges between the
 * known ids (below the first, between each pair, above the last) so that each is an index range
 * scan that finds nothing when all is well, instead of a scan of every key.
 */
export async function findUnknownMasterKeyId(db: Db, knownIds: readonly string[]): Promise<string | undefined> {
  const ids = [...new Set(knownIds)].sort();
  const row = await db
    .selectFrom('patient_data_key')
    .select('master_key_id')
    .where('wrapped_key', 'is not', null)
    .where((eb) => {
      const first = ids[0];
      const last = ids.at(-1);
      if (first === undefined || last === undefined) return eb('master_key_id', 'is not', null);
      const ranges = [eb('master_key_id', '<', first), eb('master_key_id', '>', last)];
      for (let i = 0; i + 1 < ids.length; i++) {
        ranges.push(eb.and([eb('master_key_id', '>', ids[i]!), eb('master_key_id', '<', ids[i + 1]!)]));
      }
      return eb.or(ranges);
    })
    .limit(1)
    .executeTakeFirst();
  return row?.master_key_id ?? undefined;
}
