import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import {
  type AuditActorType,
  type AuditEntry,
  type AuditOutcome,
  type AuditRecord,
  normalizeRecord,
  SYSTEM_CHAIN_ID,
} from './audit.entry.ts';
import { InvalidAuditRecord } from './audit.errors.ts';
import { dateToMicros, GENESIS_HASH, hashEntry } from './audit.hash.ts';
import * as repository from './audit.repository.ts';

/**
 * Appends one entry to its patient's chain (or to the system chain when `patientId` is null).
 *
 * Given a transaction, the entry commits or rolls back with it: pass the transaction that makes
 * the change being recorded, so that neither exists without the other. Given the database, it
 * runs in a transaction of its own.
 *
 * The patient's chain head stays locked until that transaction ends, so a patient's appends
 * queue behind each other (never behind another patient's): record the entry late in a long
 * transaction, and when one transaction records for several patients, do it in patient_id order
 * so that two such transactions cannot deadlock.
 */
export async function recordAudit(db: Kysely<Database>, record: AuditRecord): Promise<AuditEntry> {
  const entry = normalizeRecord(record);
  if (!db.isTransaction) return db.transaction().execute((trx) => append(trx, entry));
  return append(db, entry);
}

async function append(trx: Kysely<Database>, entry: Omit<AuditEntry, 'seq'>): Promise<AuditEntry> {
  const head = await repository.lockChainHead(trx, entry.patientId, GENESIS_HASH);
  const seq = head.seq + 1n;
  const hash = hashEntry({ ...entry, seq, occurredAtUs: dateToMicros(entry.occurredAt), prevHash: head.hash });
  await repository.appendEntry(trx, {
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
    prev_hash: head.hash,
    hash,
  });
  return { ...entry, seq: Number(seq) };
}

export const MAX_LIST_LIMIT = 1000;

/**
 * A chain's entries, newest first: the patient's access history. Page with `before`, the `seq` of
 * the oldest entry of the previous page. `patientId` null reads the system chain. The caller has
 * decided who may read it.
 */
export async function listAuditEntries(
  db: Kysely<Database>,
  patientId: string | null,
  options: { actorType?: AuditActorType; limit: number; before?: number },
): Promise<AuditEntry[]> {
  if (!Number.isSafeInteger(options.limit) || options.limit < 1 || options.limit > MAX_LIST_LIMIT) {
    throw new InvalidAuditRecord(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
  }
  if (options.before !== undefined && (!Number.isSafeInteger(options.before) || options.before < 1)) {
    throw new InvalidAuditRecord('before must be the seq of an entry');
  }
  const rows = await repository.listEntries(db, (patientId ?? SYSTEM_CHAIN_ID).toLowerCase(), options);
  return rows.map((row) => ({
    patientId: row.patient_id,
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actorType: row.actor_type as AuditActorType,
    actorId: row.actor_id,
    onBehalfOf: row.on_behalf_of,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    purpose: row.purpose,
    outcome: row.outcome as AuditOutcome,
    reason: row.reason,
    sourceIp: row.source_ip,
  }));
}
