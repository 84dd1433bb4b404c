import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { AuditEntryTable } from './audit.table.ts';

/** A database or a transaction (a Transaction is a Kysely). */
type Db = Kysely<Database>;

export interface ChainHead {
  patientId: string;
  seq: bigint;
  hash: Buffer;
}

/**
 * Locks the patient's chain head until the caller's transaction ends and returns it; a chain not
 * begun yet gets its head row first (seq 0, the genesis hash). Two first appends racing both
 * insert "if absent": the second waits for the first to commit, then locks the row it made.
 */
export async function lockChainHead(db: Db, patientId: string, genesisHash: Buffer): Promise<ChainHead> {
  for (let attempt = 0; attempt < 2; attempt++) {
    // FOR NO KEY UPDATE: the append changes seq and hash, never the key.
    const head = await db
      .selectFrom('audit_chain_head')
      .select(['seq', 'hash'])
      .where('patient_id', '=', patientId)
      .forNoKeyUpdate()
      .executeTakeFirst();
    if (head !== undefined) return { patientId, seq: BigInt(head.seq), hash: head.hash };
    await db
      .insertInto('audit_chain_head')
      .values({ patient_id: patientId, seq: 0, hash: genesisHash })
      .onConflict((oc) => oc.column('patient_id').doNothing())
      .execute();
  }
  throw new Error('audit_chain_head: the row just inserted cannot be read back');
}

/** Inserts the entry and moves the chain head to it, in one statement. */
export async function appendEntry(db: Db, row: Insertable<AuditEntryTable>): Promise<void> {
  const result = await db
    .with('appended', (qb) => qb.insertInto('audit_entry').values(row))
    .updateTable('audit_chain_head')
    .set({ seq: row.seq, hash: row.hash })
    .where('patient_id', '=', row.patient_id)
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) throw new Error('audit_chain_head: the locked head row is gone');
}

export type AuditEntryRow = Selectable<AuditEntryTable>;

/** A chain's entries, newest first, from `before` (a seq, excluded) down. */
export async function listEntries(
  db: Db,
  patientId: string,
  filter: { actorType?: string; limit: number; before?: number },
): Promise<AuditEntryRow[]> {
  let query = db.selectFrom('audit_entry').selectAll().where('patient_id', '=', patientId);
  if (filter.before !== undefined) query = query.where('seq', '<', String(filter.before));
  if (filter.actorType !== undefined) query = query.where('actor_type', '=', filter.actorType);
  return query.orderBy('seq', 'desc').limit(filter.limit).execute();
}

/** The next chain heads after `afterPatientId`, in patient_id order. */
export async function listChainHeads(db: Db, afterPatientId: string | undefined, limit: number): Promise<ChainHead[]> {
  let query = db.selectFrom('audit_chain_head').select(['patient_id', 'seq', 'hash']).where('seq', '>', '0');
  if (afterPatientId !== undefined) query = query.where('patient_id', '>', afterPatientId);
  const rows = await query.orderBy('patient_id').limit(limit).execute();
  return rows.map((r) => ({ patientId: r.patient_id, seq: BigInt(r.seq), hash: r.hash }));
}

/** A row as verification reads it: the time exactly, in microseconds, as the hash has it. */
export interface StoredEntry extends Omit<AuditEntryRow, 'occurred_at'> {
  occurred_us: string;
}

export interface EntryCursor {
  patientId: string;
  seq: string;
}

/** The next entries of all chains after `after`, in (patient_id, seq) order. */
export async function listEntriesAfter(db: Db, after: EntryCursor | undefined, limit: number): Promise<StoredEntry[]> {
  let query = db
    .selectFrom('audit_entry')
    .select([
      'patient_id', 'seq', 'actor_type', 'actor_id', 'on_behalf_of', 'action', 'resource_type',
      'resource_id', 'purpose', 'outcome', 'reason', 'source_ip', 'prev_hash', 'hash',
      // extract(epoch) is numeric (exact) since PostgreSQL 14.
      sql<string>`(extract(epoch from occurred_at) * 1000000)::bigint::text`.as('occurred_us'),
    ]);
  if (after !== undefined) {
    query = query.where(({ eb, refTuple, tuple }) =>
      eb(refTuple('patient_id', 'seq'), '>', tuple(after.patientId, after.seq)),
    );
  }
  return query.orderBy('patient_id').orderBy('seq').limit(limit).execute();
}
