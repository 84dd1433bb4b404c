import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { appendToChain, chainEntries, type UnplacedEntry } from './audit.chain.ts';
import type { AuditEntry } from './audit.entry.ts';
import * as repository from './audit.repository.ts';
import type { ChainHead, HeadMove } from './audit.repository.ts';

export interface GroupCommitOptions {
  /** Most entries one statement writes. */
  maxBatch: number;
  /** Most batches written at once; the entries that arrive meanwhile wait for the next. */
  maxInFlight: number;
  /** How many chains' heads are remembered between batches. */
  knownHeads: number;
  /**
   * Writes each batch inside BEGIN … COMMIT rather than as its one statement alone. The embedded
   * database needs it: its socket multiplexer serves PGlite's one session to several connections
   * and keeps a transaction's statements together, but may interleave the protocol messages of
   * statements sent outside one.
   */
  ownTransaction: boolean;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { maxBatch: 100, maxInFlight: 2, knownHeads: 10_000, ownTransaction: true };

interface Written {
  /** The chains appended to, their entries placed and where they now end. */
  chains: Map<string, { entries: AuditEntry[]; head: ChainHead }>;
  /** The chains left for `writeAlone`: not begun, moved under us, or held elsewhere. */
  left: string[];
}

interface Pending {
  entry: UnplacedEntry;
  resolve(entry: AuditEntry): void;
  reject(error: unknown): void;
}

export interface AuditGroupCommit {
  /** Resolves once the entry is committed, with its place in its chain. */
  append(entry: UnplacedEntry): Promise<AuditEntry>;
}

/**
 * Writes the audit entries of concurrent requests together: one statement, so one transaction and
 * one commit (one WAL flush), for many entries and many chains, instead of a transaction of four
 * round trips each. Each caller's promise settles only after the commit that holds its entry, so
 * an access is served only once its entry is durable.
 *
 * Entries queue while earlier batches are being written; an idle server writes an entry at the
 * next turn of the event loop, so grouping adds no waiting of its own. A patient is in at most one
 * write of this process at a time: the patient's later entries wait in the queue, and the next
 * batch takes them all, chained one after the other.
 *
 * The heads this process last wrote are remembered, so a batch usually needs no read before its
 * write. The write is a compare-and-set (`appendWhereHeadsAre`): a chain whose head has moved (a
 * change recorded in its own transaction, another Carnet process) or is locked by someone else is
 * not written; its entries are then appended patient by patient, each in a transaction that waits
 * for that one head (as are chains not begun, whose head row that transaction creates). A busy
 * patient thus delays only their own entries, and batches never wait for a lock, so they cannot
 * deadlock.
 *
 * A batch that fails rejects every caller in it: their accesses are not served. Entries are
 * validated before they queue (`normalizeRecord`), so what makes a batch fail (the connection,
 * the database) would make each entry fail on its own too; retrying them one by one would only
 * double the load on a database that is already failing.
 */
export function createAuditGroupCommit(db: Kysely<Database>, options: GroupCommitOptions = DEFAULT_GROUP_COMMIT): AuditGroupCommit {
  let queue: Pending[] = [];
  /** Patients with a write of theirs under way. */
  const busy = new Set<string>();
  const heads = new KnownHeads(options.knownHeads);
  let inFlight = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      drain();
    });
  };

  function drain() {
    while (inFlight < options.maxInFlight) {
      const batch = takeBatch();
      if (batch.length === 0) return;
      inFlight++;
      void writeBatch(batch).finally(() => {
        inFlight--;
        drain();
      });
    }
  }

  /** The queue's oldest entries of patients not being written, in arrival order. */
  function takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    for (const pending of queue) {
      if (batch.length < options.maxBatch && !busy.has(pending.entry.patientId)) batch.push(pending);
      else rest.push(pending);
    }
    queue = rest;
    for (const pending of batch) busy.add(pending.entry.patientId);
    return batch;
  }

  function release(patientIds: Iterable<string>) {
    for (const patientId of patientIds) busy.delete(patientId);
    if (queue.length > 0) drain();
  }

  async function writeBatch(batch: Pending[]): Promise<void> {
    const chains = Map.groupBy(batch, (pending) => pending.entry.patientId);
    const patientIds = [...chains.keys()];
    let written: Written;
    try {
      written = options.ownTransaction ? await db.transaction().execute((trx) => write(trx, chains)) : await write(db, chains);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      for (const patientId of patientIds) heads.delete(patientId);
      release(patientIds);
      return;
    }
    for (const [patientId, { entries, head }] of written.chains) {
      const chain = chains.get(patientId)!;
      heads.set(head);
      entries.forEach((entry, i) => chain[i]!.resolve(entry));
    }
    release(written.chains.keys());
    // Not awaited: these wait on locks held elsewhere, and must not hold up the next batch.
    for (const patientId of written.left) void writeAlone(chains.get(patientId)!);
  }

  /** Appends the chains whose heads are known and free, and says which it left. */
  async function write(handle: Kysely<Database>, chains: Map<string, Pending[]>): Promise<Written> {
    const unknown = [...chains.keys()].filter((patientId) => !heads.has(patientId));
    if (unknown.length > 0) for (const head of (await repository.readChainHeads(handle, unknown)).values()) heads.set(head);
    const written: Written = { chains: new Map(), left: [] };
    const rows = [];
    const moves: HeadMove[] = [];
    for (const [patientId, chain] of chains) {
      const head = heads.get(patientId);
      if (head === undefined) {
        written.left.push(patientId);
        continue;
      }
      const chained = chainEntries(head, chain.map((p) => p.entry));
      rows.push(...chained.rows);
      moves.push({ from: head, to: chained.head });
      written.chains.set(patientId, chained);
    }
    if (moves.length === 0) return written;
    const moved = await repository.appendWhereHeadsAre(handle, rows, moves);
    for (const { to } of moves) {
      if (moved.has(to.patientId)) continue;
      // The head moved or is held elsewhere: the guess is wrong, forget it.
      heads.delete(to.patientId);
      written.chains.delete(to.patientId);
      written.left.push(to.patientId);
    }
    return written;
  }

  /** One patient's entries, in a transaction that waits for their chain head. */
  async function writeAlone(chain: Pending[]): Promise<void> {
    const patientId = chain[0]!.entry.patientId;
    try {
      const { entries, head } = await db.transaction().execute((trx) => appendToChain(trx, chain.map((p) => p.entry)));
      heads.set(head);
      entries.forEach((entry, i) => chain[i]!.resolve(entry));
    } catch (error) {
      heads.delete(patientId);
      for (const pending of chain) pending.reject(error);
    } finally {
      release([patientId]);
    }
  }

  return {
    append(entry) {
      return new Promise<AuditEntry>((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        schedule();
      });
    },
  };
}

/**
 * The heads this process last wrote or read, the most recently used kept. Only a guess at where
 * each chain ends: the compare-and-set checks it, and a wrong guess costs a retry, never an entry.
 */
class KnownHeads {
  readonly #heads = new Map<string, ChainHead>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  has(patientId: string) {
    return this.#heads.has(patientId);
  }

  get(patientId: string): ChainHead | undefined {
    return this.#heads.get(patientId);
  }

  set(head: ChainHead) {
    // Re-inserted last: a Map iterates in insertion order, so the first key is the least recent.
    this.#heads.delete(head.patientId);
    this.#heads.set(head.patientId, head);
    if (this.#heads.size > this.#limit) this.#heads.delete(this.#heads.keys().next().value!);
  }

  delete(patientId: string) {
    this.#heads.delete(patientId);
  }
}
