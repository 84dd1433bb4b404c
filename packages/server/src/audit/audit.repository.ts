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

/** The current heads of these chains, by patient id, without locking them; chains not begun are left out. */
export async function readChainHeads(db: Db, patientIds: readonly string[]): Promise<Map<string, ChainHead>> {
  const rows = await db
    .selectFrom('audit_chain_head')
    .select(['patient_id', 'seq', 'hash'])
    .where('patient_id', 'in', patientIds)
    .execute();
  return new Map(rows.map((r) => [r.patient_id, { patientId: r.patient_id, seq: BigInt(r.seq), hash: r.hash }]));
}

/** A chain's head as the entries were placed after it (`from`), and where they end (`to`). */
export interface HeadMove {
  from: ChainHead;
  to: ChainHead;
}

/**
 * In one statement (run alone: one transaction, one commit): for each chain whose head is still
 * `from` and that no other transaction holds, moves the head to `to` and inserts that chain's rows.
 * Returns the chains it appended to; the others are left untouched, their rows not inserted.
 *
 * The statement locks the heads it moves and never waits for a lock (SKIP LOCKED): a chain that a
 * change's transaction or another Carnet process is appending to is simply not moved, and no
 * other chain waits for it. The compare (seq and hash) makes a stale `from` harmless.
 */
export async function appendWhereHeadsAre(
  db: Db,
  rows: readonly Insertable<AuditEntryTable>[],
  moves: readonly HeadMove[],
): Promise<Set<string>> {
  const column = <T>(pick: (row: Insertable<AuditEntryTable>) => T) => rows.map(pick);
  const result = await sql<{ patient_id: string }>`
    with planned (patient_id, from_seq, from_hash, to_seq, to_hash) as (
      select * from unnest(
        ${moves.map((m) => m.from.patientId)}::uuid[],
        ${moves.map((m) => m.from.seq.toString())}::bigint[], ${moves.map((m) => m.from.hash)}::bytea[],
        ${moves.map((m) => m.to.seq.toString())}::bigint[], ${moves.map((m) => m.to.hash)}::bytea[]
      )
    ),
    locked as (
      select h.patient_id from audit_chain_head h
      join planned p on p.patient_id = h.patient_id and p.from_seq = h.seq and p.from_hash = h.hash
      order by h.patient_id
      for no key update of h skip locked
    ),
    moved as (
      update audit_chain_head h set seq = p.to_seq, hash = p.to_hash
      from planned p
      where p.patient_id = h.patient_id and p.from_seq = h.seq and h.patient_id in (select patient_id from locked)
      returning h.patient_id
    ),
    appended as (
      insert into audit_entry (patient_id, seq, occurred_at, actor_type, actor_id, on_behalf_of, action, resource_type,
        resource_id, purpose, outcome, reason, source_ip, prev_hash, hash)
      select * from unnest(
        ${column((r) => r.patient_id)}::uuid[], ${column((r) => String(r.seq))}::bigint[],
        ${column((r) => r.occurred_at)}::timestamptz[], ${column((r) => r.actor_type)}::text[],
        ${column((r) => r.actor_id)}::text[], ${column((r) => r.on_behalf_of ?? null)}::text[],
        ${column((r) => r.action)}::text[], ${column((r) => r.resource_type ?? null)}::text[],
        ${column((r) => r.resource_id ?? null)}::text[], ${column((r) => r.purpose ?? null)}::text[],
        ${column((r) => r.outcome)}::text[], ${column((r) => r.reason)}::text[],
        ${column((r) => r.source_ip ?? null)}::inet[], ${column((r) => r.prev_hash)}::bytea[],
        ${column((r) => r.hash)}::bytea[]
      ) as e (patient_id, seq, occurred_at, actor_type, actor_id, on_behalf_of, action, resource_type,
        resource_id, purpose, outcome, reason, source_ip, prev_hash, hash)
      where e.patient_id in (select patient_id from moved)
    )
    select patient_id from moved`.execute(db);
  return new Set(result.rows.map((r) => r.patient_id));
}

/** Inserts a chain's entries and moves its head to the last, in one statement; the caller holds the head's lock. */
export async function appendEntries(db: Db, rows: readonly Insertable<AuditEntryTable>[], head: ChainHead): Promise<void> {
  const result = await db
    .with('appended', (qb) => qb.insertInto('audit_entry').values(rows))
    .updateTable('audit_chain_head')
    .set({ seq: Number(head.seq), hash: head.hash })
    .where('patient_id', '=', head.patientId)
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
