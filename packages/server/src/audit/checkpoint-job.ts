import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import {
  appendCheckpointLine,
  buildCheckpoint,
  CHECKPOINT_FILE,
  type CheckpointHead,
  readLastCheckpoint,
  signCheckpoint,
} from './audit.checkpoint.ts';
import { loadOrCreateSigningKey, SIGNING_KEY_FILE } from './audit.signing-key.ts';

/**
 * What one round did: wrote a checkpoint; found every chain where the last checkpoint left it;
 * left the round to another node, which held the lock; or failed (logged, retried next round).
 */
export type CheckpointRound = 'written' | 'unchanged' | 'busy' | 'failed';

/** The logger's methods the job uses (pino's, through Fastify's `app.log`). */
export interface CheckpointJobLog {
  info(fields: object, message: string): void;
  debug(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface CheckpointJob {
  /** The checkpoint file, `<auditDir>/checkpoints.jsonl`. */
  readonly file: string;
  /** Runs a round now, after the one in progress if any. Never throws: a failure is logged. */
  runRound(): Promise<CheckpointRound>;
  /** Stops the periodic rounds, waits for one in progress, then runs a last round. */
  stop(): Promise<CheckpointRound>;
}

/**
 * Advisory locks share one bigint namespace per database; this number is the checkpoint writer's
 * (Kysely's migrator uses another). One node at a time appends to the shared checkpoint file.
 */
const CHECKPOINT_LOCK_ID = 7_360_134_521_066_001;

/**
 * Signs a checkpoint of every audit chain every `intervalMs` (none when 0) into
 * `<auditDir>/checkpoints.jsonl`, when a chain moved since the file's last checkpoint: the
 * interval bounds how far back a truncated chain goes unnoticed (docs/security.md). Loads or
 * creates the Ed25519 signing key first, so a broken key stops the start rather than every round.
 */
export async function startCheckpointJob(options: {
  db: Kysely<Database>;
  auditDir: string;
  intervalMs: number;
  log: CheckpointJobLog;
}): Promise<CheckpointJob> {
  const { db, log, intervalMs } = options;
  const signingKey = await loadOrCreateSigningKey(path.join(options.auditDir, SIGNING_KEY_FILE));
  const file = path.join(options.auditDir, CHECKPOINT_FILE);

  async function round(): Promise<CheckpointRound> {
    try {
      // Under PGlite every connection shares one session and a transaction holds the socket:
      // everything below runs on `trx`, never on another connection, until the lock is released.
      const result = await db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ locked: boolean }>`
          select pg_try_advisory_xact_lock(${CHECKPOINT_LOCK_ID}::bigint) as locked`.execute(trx);
        if (rows[0]?.locked !== true) return { round: 'busy' as const, chains: 0 };
        const checkpoint = await buildCheckpoint(trx, { keyId: signingKey.keyId });
        const last = await readLastCheckpoint(file, signingKey.publicKey);
        const chains = checkpoint.heads.length;
        if (sameHeads(last?.heads ?? [], checkpoint.heads)) return { round: 'unchanged' as const, chains };
        await appendCheckpointLine(file, signCheckpoint(checkpoint, signingKey.privateKey));
        return { round: 'written' as const, chains };
      });
      if (result.round === 'written') log.info({ chains: result.chains }, 'audit checkpoint written');
      else log.debug({ round: result.round }, 'audit checkpoint not needed');
      return result.round;
    } catch (error) {
      log.error({ err: error }, 'audit checkpoint failed; the next round tries again');
      return 'failed';
    }
  }

  // Rounds run one after another, whoever asks (the timer, a caller, the shutdown).
  let queue: Promise<CheckpointRound> = Promise.resolve('unchanged');
  const runRound = () => (queue = queue.then(round));

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => void runRound().then(schedule), intervalMs);
    // The job never keeps the process alive on its own; shutdown runs the last round itself.
    timer.unref();
  };
  schedule();

  return {
    file,
    runRound,
    stop() {
      stopped = true;
      clearTimeout(timer);
      return runRound();
    },
  };
}

/** Both lists come in patient_id order (buildCheckpoint's), so they compare entry by entry. */
function sameHeads(a: readonly CheckpointHead[], b: readonly CheckpointHead[]): boolean {
  return (
    a.length === b.length &&
    a.every((head, i) => head.patientId === b[i]!.patientId && head.seq === b[i]!.seq && head.hash === b[i]!.hash)
  );
}
