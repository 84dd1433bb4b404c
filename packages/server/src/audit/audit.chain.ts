import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { AuditEntry } from './audit.entry.ts';
import { dateToMicros, GENESIS_HASH, hashEntry } from './audit.hash.ts';
import * as repository from './audit.repository.ts';
import type { AuditEntryTable } from './audit.table.ts';

/** An entry before it has a place in its chain (`normalizeRecord`'s output). */
export type UnplacedEntry = Omit<AuditEntry, 'seq'>;

export interface ChainedEntries {
  rows: Insertable<AuditEntryTable>[];
  entries: AuditEntry[];
  /** Where the chain ends once the rows are in. */
  head: repository.ChainHead;
}

/**
 * Places entries of one chain after `head`, one after the other in the order given: each gets the
 * next seq and the hash of the one before. Pure: the caller holds the head's lock and writes the
 * rows.
 */
export function chainEntries(head: repository.ChainHead, unplaced: readonly UnplacedEntry[]): ChainedEntries {
  let { seq, hash: prevHash } = head;
  const rows: Insertable<AuditEntryTable>[] = [];
  const entries: AuditEntry[] = [];
  for (const entry of unplaced) {
    if (entry.patientId !== head.patientId) throw new Error('chainEntries: an entry of another chain');
    seq += 1n;
    const hash = hashEntry({ ...entry, seq, occurredAtUs: dateToMicros(entry.occurredAt), prevHash });
    rows.push({
      patient_id: entry.patientId,
      seq: Number(seq),
      occurred_at: entry.occurredAt.toISOString(),
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      on_behalf_of: entry.onBehalfOf,
      action: entry.action,
      resource_type: entry.resourceType,
      resource_id: entry.resourceId,
      purpose: entry.purpose,
      outcome: entry.outcome,
      reason: entry.reason,
      source_ip: entry.sourceIp,
      prev_hash: prevHash,
      hash,
    });
    entries.push({ ...entry, seq: Number(seq) });
    prevHash = hash;
  }
  return { rows, entries, head: { patientId: head.patientId, seq, hash: prevHash } };
}

/**
 * Appends entries of one patient inside the caller's transaction, waiting for the chain head's
 * lock (and creating the head of a chain not begun). The lock is held until that transaction ends.
 */
export async function appendToChain(
  trx: Kysely<Database>,
  unplaced: readonly UnplacedEntry[],
): Promise<Omit<ChainedEntries, 'rows'>> {
  const head = await repository.lockChainHead(trx, unplaced[0]!.patientId, GENESIS_HASH);
  const chained = chainEntries(head, unplaced);
  await repository.appendEntries(trx, chained.rows, chained.head);
  return { entries: chained.entries, head: chained.head };
}
