import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { appendToChain } from './audit.chain.ts';
import {
  type AuditActorType,
  type AuditEntry,
  type AuditOutcome,
  type AuditRecord,
  normalizeRecord,
  SYSTEM_CHAIN_ID,
} from './audit.entry.ts';
import { InvalidAuditRecord } from './audit.errors.ts';
import { type AuditGroupCommit, createAuditGroupCommit, DEFAULT_GROUP_COMMIT, type GroupCommitOptions } from './audit.group-commit.ts';
import * as repository from './audit.repository.ts';

/**
 * Appends one entry to its patient's chain (or to the system chain when `patientId` is null), and
 * resolves once it is committed.
 *
 * Given a transaction, the entry commits or rolls back with it: pass the transaction that makes
 * the change being recorded, so that neither exists without the other. Given the database, it is
 * written with the entries other requests are recording at the same time, in one transaction
 * (`audit.group-commit.ts`), and the promise settles after that commit.
 *
 * In a caller's transaction, the patient's chain head stays locked until that transaction ends, so
 * a patient's appends queue behind it (never another patient's): record the entry late in a long
 * transaction, and when one transaction records for several patients, do it in patient_id order
 * so that two such transactions cannot deadlock.
 */
export async function recordAudit(db: Kysely<Database>, record: AuditRecord): Promise<AuditEntry> {
  const entry = normalizeRecord(record);
  if (db.isTransaction) return (await appendToChain(db, [entry])).entries[0]!;
  return groupCommitOf(db).append(entry);
}

/** One group commit per database handle: the entries of every request on it are written together. */
const groupCommits = new WeakMap<Kysely<Database>, AuditGroupCommit>();

function groupCommitOf(db: Kysely<Database>): AuditGroupCommit {
  let groupCommit = groupCommits.get(db);
  if (groupCommit === undefined) groupCommits.set(db, (groupCommit = createAuditGroupCommit(db)));
  return groupCommit;
}

/**
 * How `recordAudit` groups the entries recorded on `db` outside a transaction; call it once, when
 * the database is opened, before anything is recorded. Unconfigured, a handle gets
 * `DEFAULT_GROUP_COMMIT`, which is safe on every database.
 */
export function configureAuditGroupCommit(db: Kysely<Database>, options: Partial<GroupCommitOptions>): void {
  groupCommits.set(db, createAuditGroupCommit(db, { ...DEFAULT_GROUP_COMMIT, ...options }));
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
