import { type KeyObject, sign, verify } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Kysely } from 'kysely';
import { fsyncDirectory, makeDirectoryDurably } from '../blobs/durable-file.ts';
import type { Database } from '../db/database.ts';
import { listChainHeads } from './audit.repository.ts';
import { type CheckpointSigningKey, signingKeyId } from './audit.signing-key.ts';

/**
 * A checkpoint vouches for the head of every chain at one moment. It is kept outside the database
 * (one JSON line per checkpoint, appended to a file) and signed with a key the database never
 * holds, so that whoever can rewrite the database can cut a chain's tail but cannot make the
 * checkpoints agree. `keyId` names the signing key (`signingKeyId`), for key rotations.
 */
export interface Checkpoint {
  version: 1;
  createdAt: string;
  keyId: string;
  heads: CheckpointHead[];
}

export interface CheckpointHead {
  patientId: string;
  seq: number;
  /** The entry's hash, lower-case hex. */
  hash: string;
}

export const CHECKPOINT_FILE = 'checkpoints.jsonl';

const SIGNATURE_CONTEXT = 'carnet.audit_checkpoint.v1\n';

/**
 * The signed bytes: the context line above, then the checkpoint as JSON with keys in the order
 * `version, createdAt, keyId, heads` and `patientId, seq, hash` in each head, no white space. The
 * line in the file is the same object with a last key, `signature` (base64 Ed25519). Values are
 * what is signed; a reader rebuilds these bytes from the values it parsed.
 */
export function checkpointSigningBytes(checkpoint: Checkpoint): Buffer {
  return Buffer.from(SIGNATURE_CONTEXT + JSON.stringify(canonical(checkpoint)), 'utf8');
}

function canonical(checkpoint: Checkpoint): Checkpoint {
  return {
    version: checkpoint.version,
    createdAt: checkpoint.createdAt,
    keyId: checkpoint.keyId,
    heads: checkpoint.heads.map((h) => ({ patientId: h.patientId, seq: h.seq, hash: h.hash })),
  };
}

/** The head of every chain, read a batch of `batchSize` at a time; unsigned. */
export async function buildCheckpoint(
  db: Kysely<Database>,
  options: { keyId: string; now?: Date; batchSize?: number },
): Promise<Checkpoint> {
  const batchSize = options.batchSize ?? 10_000;
  const createdAt = (options.now ?? new Date()).toISOString();
  const heads: CheckpointHead[] = [];
  let after: string | undefined;
  for (;;) {
    const batch = await listChainHeads(db, after, batchSize);
    for (const head of batch) {
      heads.push({ patientId: head.patientId, seq: Number(head.seq), hash: head.hash.toString('hex') });
    }
    if (batch.length < batchSize) break;
    after = batch.at(-1)!.patientId;
  }
  return { version: 1, createdAt, keyId: options.keyId, heads };
}

/** The line for the checkpoint file: the checkpoint and its signature, as one JSON object. */
export function signCheckpoint(checkpoint: Checkpoint, privateKey: KeyObject): string {
  const signature = sign(null, checkpointSigningBytes(checkpoint), privateKey).toString('base64');
  return JSON.stringify({ ...canonical(checkpoint), signature });
}

/**
 * Appends one line and fsyncs it before returning. A crash can leave a torn last line; the next
 * append starts on a new line so that the torn one stays the only casualty (verification reports
 * it). One writer at a time: the checkpoint job (checkpoint-job.ts) holds an advisory lock.
 */
export async function appendCheckpointLine(file: string, line: string): Promise<void> {
  const dir = path.dirname(file);
  await makeDirectoryDurably(dir, 0o700);
  const handle = await open(file, 'a+', 0o600);
  let wasEmpty: boolean;
  try {
    const { size } = await handle.stat();
    wasEmpty = size === 0;
    let prefix = '';
    if (!wasEmpty) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await handle.writeFile(`${prefix}${line}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // A new file is durable only once its folder entry is.
  if (wasEmpty) await fsyncDirectory(dir);
}

/**
 * Takes a checkpoint of every chain and appends it, signed, to `file`. Meant for a periodic job
 * (every few minutes): truncation of a chain is caught only as far back as its last checkpoint.
 */
export async function writeCheckpoint(
  db: Kysely<Database>,
  options: { file: string; signingKey: CheckpointSigningKey; now?: Date; batchSize?: number },
): Promise<Checkpoint> {
  const checkpoint = await buildCheckpoint(db, { ...options, keyId: options.signingKey.keyId });
  await appendCheckpointLine(options.file, signCheckpoint(checkpoint, options.signingKey.privateKey));
  return checkpoint;
}

export type CheckpointLine =
  | { line: number; valid: true; checkpoint: Checkpoint }
  | { line: number; valid: false; detail: string };

/** Every non-empty line of the file, checked against `publicKey`; nothing when there is no file. */
export async function* readCheckpointFile(file: string, publicKey: KeyObject): AsyncGenerator<CheckpointLine> {
  const keyId = signingKeyId(publicKey);
  const stream = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const text of lines) {
      number++;
      if (text.trim() === '') continue;
      yield { line: number, ...checkLine(text, keyId, publicKey) };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  } finally {
    lines.close();
    stream.destroy();
  }
}

/**
 * The checkpoint on the file's last line, when that line is one `publicKey` signed; undefined
 * when there is no file, no line, or the last one is torn or forged. Reads the file backwards from
 * its end, so the cost is that of one line, however long the file has grown.
 */
export async function readLastCheckpoint(file: string, publicKey: KeyObject): Promise<Checkpoint | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    let tail = Buffer.alloc(0);
    for (let position = size; ; ) {
      // Lines end with a newline (a torn last one may not); the last line starts after the one before.
      const body = tail.at(-1) === 0x0a ? tail.subarray(0, -1) : tail;
      const newline = body.lastIndexOf(0x0a);
      if (newline >= 0 || position === 0) {
        const line = body.subarray(newline + 1).toString('utf8');
        const checked = line.trim() === '' ? undefined : checkLine(line, signingKeyId(publicKey), publicKey);
        return checked?.valid ? checked.checkpoint : undefined;
      }
      // Doubling the read keeps a long line's cost linear in its length.
      const length = Math.min(Math.max(64 * 1024, tail.length), position);
      position -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, position);
      tail = Buffer.concat([chunk, tail]);
    }
  } finally {
    await handle.close();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HASH_HEX = /^[0-9a-f]{64}$/;
const TOP_KEYS = 'version,createdAt,keyId,heads,signature';
const HEAD_KEYS = 'patientId,seq,hash';

function checkLine(
  text: string,
  keyId: string,
  publicKey: KeyObject,
): { valid: true; checkpoint: Checkpoint } | { valid: false; detail: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { valid: false, detail: 'not JSON (a torn or altered line)' };
  }
  // Every key is signed, so a line with other keys or other types is not one Carnet wrote.
  const object = parsed as Record<string, unknown>;
  if (typeof parsed !== 'object' || parsed === null || Object.keys(object).join() !== TOP_KEYS) {
    return { valid: false, detail: 'not a checkpoint' };
  }
  const { version, createdAt, heads, signature } = object;
  if (version !== 1 || typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) {
    return { valid: false, detail: 'not a version 1 checkpoint' };
  }
  if (object.keyId !== keyId) return { valid: false, detail: `signed by another key (${String(object.keyId)})` };
  if (!Array.isArray(heads) || !heads.every(isHead) || typeof signature !== 'string') {
    return { valid: false, detail: 'not a checkpoint' };
  }
  const checkpoint: Checkpoint = { version, createdAt, keyId, heads };
  if (!verify(null, checkpointSigningBytes(checkpoint), publicKey, Buffer.from(signature, 'base64'))) {
    return { valid: false, detail: 'the signature does not match' };
  }
  return { valid: true, checkpoint };
}

function isHead(value: unknown): value is CheckpointHead {
  if (typeof value !== 'object' || value === null) return false;
  const head = value as Record<string, unknown>;
  return (
    Object.keys(head).join() === HEAD_KEYS &&
    typeof head.patientId === 'string' && UUID.test(head.patientId) &&
    Number.isSafeInteger(head.seq) && (head.seq as number) > 0 &&
    typeof head.hash === 'string' && HASH_HEX.test(head.hash)
  );
}
