import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { readCheckpointFile } from './audit.checkpoint.ts';
import { canonicalIp } from './audit.entry.ts';
import { GENESIS_HASH, hashEntry } from './audit.hash.ts';
import { type EntryCursor, listEntriesAfter, type StoredEntry } from './audit.repository.ts';

/**
 * What verification found, by chain (`patientId`) and position (`seq`):
 * - `modified`: the entry's stored hash is not the hash of its content, or its `prev_hash` is not
 *   the hash of the entry before it (the entry before was rewritten, hash included).
 * - `removed`: entries `seq` to `seq + count - 1` are missing from the middle of the chain.
 * - `truncated`: a valid checkpoint vouched for entry `seq`, and the chain now ends before it
 *   (`lastSeq`, 0 when the whole chain is gone) or holds another entry there.
 * - `bad-checkpoint-signature`: a line of the checkpoint file is not a checkpoint signed by the
 *   given key (forged, altered, or torn by a crash while being written); it vouches for nothing.
 */
export type AuditProblem =
  | { kind: 'modified'; patientId: string; seq: number; detail: string }
  | { kind: 'removed'; patientId: string; seq: number; count: number }
  | { kind: 'truncated'; patientId: string; seq: number; lastSeq: number; checkpointAt: string; detail: string }
  | { kind: 'bad-checkpoint-signature'; line: number; detail: string };

export interface AuditVerification {
  intact: boolean;
  chains: number;
  entries: number;
  /** Checkpoint lines whose signature holds, and the time of the newest. */
  checkpoints: { valid: number; latestAt: string | undefined };
  /** At most `maxProblems` of them; `unlistedProblems` counts the rest. */
  problems: AuditProblem[];
  unlistedProblems: number;
}

/** A head some valid checkpoint vouched for: entry `seq` of the chain had this hash. */
interface Claim {
  seq: bigint;
  hash: string;
  checkpointAt: string;
}

/**
 * Recomputes every chain from the database, a batch of entries at a time, and checks it against
 * every valid checkpoint in `checkpointFile` (not only the newest: a chain cut and then extended
 * again before the next checkpoint still contradicts the older ones). Read-only; safe while Carnet
 * runs, since chains only grow at their ends.
 */
export async function verifyAudit(
  db: Kysely<Database>,
  options: { checkpointFile: string; publicKey: KeyObject; batchSize?: number; maxProblems?: number },
): Promise<AuditVerification> {
  const maxProblems = options.maxProblems ?? 1000;
  const result: AuditVerification = {
    intact: true,
    chains: 0,
    entries: 0,
    checkpoints: { valid: 0, latestAt: undefined },
    problems: [],
    unlistedProblems: 0,
  };
  const report = (problem: AuditProblem) => {
    result.intact = false;
    if (result.problems.length < maxProblems) result.problems.push(problem);
    else result.unlistedProblems++;
  };

  // Checkpoints first: whatever they vouch for was committed before the chains are read.
  const claims = new Map<string, Map<string, Claim>>();
  for await (const line of readCheckpointFile(options.checkpointFile, options.publicKey)) {
    if (!line.valid) {
      report({ kind: 'bad-checkpoint-signature', line: line.line, detail: line.detail });
      continue;
    }
    const { createdAt, heads } = line.checkpoint;
    result.checkpoints.valid++;
    result.checkpoints.latestAt = createdAt;
    for (const head of heads) {
      let byHead = claims.get(head.patientId);
      if (byHead === undefined) claims.set(head.patientId, (byHead = new Map()));
      byHead.set(`${head.seq}:${head.hash}`, { seq: BigInt(head.seq), hash: head.hash, checkpointAt: createdAt });
    }
  }

  let chain: ChainState | undefined;
  const endChain = () => {
    if (chain === undefined) return;
    checkClaims(chain.patientId, chain.lastSeq, chain.seen, claims.get(chain.patientId), report);
    claims.delete(chain.patientId);
  };
  const batchSize = options.batchSize ?? 5000;
  let cursor: EntryCursor | undefined;
  for (;;) {
    const rows = await listEntriesAfter(db, cursor, batchSize);
    for (const row of rows) {
      if (chain?.patientId !== row.patient_id) {
        endChain();
        const vouched = new Set([...(claims.get(row.patient_id)?.values() ?? [])].map((c) => c.seq));
        chain = { patientId: row.patient_id, lastSeq: 0n, lastHash: GENESIS_HASH, vouched, seen: new Map() };
        result.chains++;
      }
      checkEntry(chain, row, report);
      result.entries++;
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < batchSize) break;
    cursor = { patientId: last.patient_id, seq: last.seq };
  }
  endChain();
  // Chains a checkpoint vouched for that have no entry left at all.
  for (const [patientId, byHead] of claims) checkClaims(patientId, 0n, new Map(), byHead, report);
  return result;
}

interface ChainState {
  patientId: string;
  lastSeq: bigint;
  /** The stored hash of entry `lastSeq`; null after a gap, when the link cannot be checked. */
  lastHash: Buffer | null;
  /** The positions some checkpoint vouched for, and the stored hashes found there. */
  vouched: Set<bigint>;
  seen: Map<bigint, string>;
}

function checkEntry(chain: ChainState, row: StoredEntry, report: (problem: AuditProblem) => void) {
  const seq = BigInt(row.seq);
  if (seq !== chain.lastSeq + 1n) {
    report({ kind: 'removed', patientId: chain.patientId, seq: Number(chain.lastSeq + 1n), count: Number(seq - chain.lastSeq - 1n) });
    chain.lastHash = null;
  }
  const faults: string[] = [];
  const recomputed = hashEntry({
    patientId: row.patient_id,
    seq,
    occurredAtUs: BigInt(row.occurred_us),
    actorType: row.actor_type,
    actorId: row.actor_id,
    onBehalfOf: row.on_behalf_of,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    purpose: row.purpose,
    outcome: row.outcome,
    reason: row.reason,
    // A value with no canonical spelling (a netmask added by hand) was not written by Carnet.
    sourceIp: row.source_ip === null ? null : (canonicalIp(row.source_ip) ?? row.source_ip),
    prevHash: row.prev_hash,
  });
  if (!recomputed.equals(row.hash)) faults.push('its content does not match its hash');
  if (chain.lastHash !== null && !chain.lastHash.equals(row.prev_hash)) {
    faults.push(seq === 1n ? 'it does not start from the genesis hash' : `it does not follow entry ${seq - 1n}`);
  }
  if (faults.length > 0) report({ kind: 'modified', patientId: chain.patientId, seq: Number(seq), detail: faults.join('; ') });
  if (chain.vouched.has(seq)) chain.seen.set(seq, row.hash.toString('hex'));
  chain.lastSeq = seq;
  chain.lastHash = row.hash;
}

/**
 * One `truncated` problem per chain at most, for the furthest entry a checkpoint vouched for that
 * is gone or different. A vouched-for entry missing from a gap is already reported as removed.
 */
function checkClaims(
  patientId: string,
  lastSeq: bigint,
  seen: Map<bigint, string>,
  claims: Map<string, Claim> | undefined,
  report: (problem: AuditProblem) => void,
) {
  let worst: { claim: Claim; detail: string } | undefined;
  for (const claim of claims?.values() ?? []) {
    const stored = seen.get(claim.seq);
    let detail: string;
    if (claim.seq > lastSeq) {
      detail = lastSeq === 0n ? 'the chain is gone' : `the chain ends at entry ${lastSeq}`;
    } else if (stored === undefined || stored === claim.hash) {
      continue;
    } else {
      detail = `entry ${claim.seq} is not the one the checkpoint recorded`;
    }
    if (worst === undefined || claim.seq > worst.claim.seq) worst = { claim, detail };
  }
  if (worst === undefined) return;
  report({
    kind: 'truncated',
    patientId,
    seq: Number(worst.claim.seq),
    lastSeq: Number(lastSeq),
    checkpointAt: worst.claim.checkpointAt,
    detail: `the checkpoint of ${worst.claim.checkpointAt} recorded entry ${worst.claim.seq}; ${worst.detail}`,
  });
}
