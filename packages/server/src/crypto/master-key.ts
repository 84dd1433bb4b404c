import { createHash, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { makeDirectoryDurably, writeFileDurably } from '../blobs/durable-file.ts';
import { MasterKeyError } from './crypto.errors.ts';

export const MASTER_KEY_BYTES = 32;

/**
 * The key that wraps every patient's data key. `id` names it in the rows it wrapped (so that a
 * rotation knows which rows are left) and is safe to log: the first 8 bytes of SHA-256 of the
 * key, in hex, which an operator can recompute with
 * `base64 -d <<< "$CARNET_MASTER_KEY" | sha256sum | cut -c1-16`.
 * The bytes are held in a KeyObject, which prints as `SecretKeyObject {}`, so a stray log line
 * cannot leak them.
 */
export interface MasterKey {
  readonly id: string;
  readonly key: KeyObject;
}

/**
 * The current master key wraps new data keys; the previous ones only unwrap, while a rotation
 * re-wraps what they wrapped (see `rewrapAllKeys`).
 */
export interface MasterKeyRing {
  readonly current: MasterKey;
  readonly previous: readonly MasterKey[];
}

export function masterKeyFromBytes(bytes: Buffer): MasterKey {
  if (bytes.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(`A master key is ${MASTER_KEY_BYTES} bytes; got ${bytes.length}.`);
  }
  const id = createHash('sha256').update(bytes).digest().subarray(0, 8).toString('hex');
  return { id, key: createSecretKey(bytes) };
}

export function generateMasterKeyBase64(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('base64');
}

/** Parses a base64 master key, explaining what is wrong without ever echoing the value. */
export function parseMasterKey(text: string, source: string): MasterKey {
  const value = text.trim();
  const expected =
    `${source} must be ${MASTER_KEY_BYTES} random bytes in base64 (44 characters ending in "="), ` +
    'such as the output of `openssl rand -base64 32`';
  if (/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new MasterKeyError(`${expected}; it looks like hex: encode the same bytes in base64 instead.`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    throw new MasterKeyError(`${expected}; it contains characters that are not base64.`);
  }
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== MASTER_KEY_BYTES || bytes.toString('base64') !== value.padEnd(44, '=')) {
    throw new MasterKeyError(`${expected}; it has ${value.length} characters and decodes to ${bytes.length} bytes.`);
  }
  return masterKeyFromBytes(bytes);
}

/** `CARNET_MASTER_KEY_PREVIOUS`: the keys being rotated away from, comma-separated, during a rotation only. */
export function parsePreviousMasterKeys(envValue: string | undefined): MasterKey[] {
  if (envValue === undefined || envValue.trim() === '') return [];
  return envValue.split(',').map((part, i) => parseMasterKey(part, `CARNET_MASTER_KEY_PREVIOUS (key ${i + 1})`));
}

export function createMasterKeyRing(current: MasterKey, previous: readonly MasterKey[] = []): MasterKeyRing {
  return { current, previous: previous.filter((key) => key.id !== current.id) };
}

/** The ids of every key of the ring: what rows may be sealed by. */
export const masterKeyIds = (ring: MasterKeyRing): string[] => [ring.current.id, ...ring.previous.map((key) => key.id)];

export function findMasterKey(ring: MasterKeyRing, id: string): MasterKey | undefined {
  return ring.current.id === id ? ring.current : ring.previous.find((key) => key.id === id);
}

/**
 * The embedded default: the key file in the data folder, generated on first start (mode 0600 in a
 * folder of mode 0700). Two processes starting at once end with the same key, because the file
 * is published with a link that never replaces an existing one.
 * The key must be backed up apart from the database: the database's backups are useless without
 * it, and a copy kept beside them would defeat the encryption.
 */
export async function loadOrCreateMasterKeyFile(filePath: string): Promise<MasterKey> {
  const dir = path.dirname(filePath);
  await makeDirectoryDurably(dir, 0o700);
  try {
    return await readMasterKeyFile(filePath, { privateFile: true });
  } catch (error) {
    if ((error as { cause?: NodeJS.ErrnoException }).cause?.code !== 'ENOENT') throw error;
  }
  const outcome = await writeFileDurably(filePath, `${generateMasterKeyBase64()}\n`, { mode: 0o600, replace: false });
  if (outcome === 'written') await chmod(filePath, 0o600); // in case the umask took bits away from the owner
  return readMasterKeyFile(filePath, { privateFile: true });
}

/**
 * The master key in a key file (base64 text, as `openssl rand -base64 32 > file` writes it). A key
 * file given by the operator is never created here: a missing one is an error, not a reason to start
 * with a new key that unwraps nothing.
 */
export async function readMasterKeyFile(filePath: string, options: { privateFile?: boolean } = {}): Promise<MasterKey> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MasterKeyError(
      code === 'ENOENT'
        ? `The master key file ${filePath} does not exist; create it with \`openssl rand -base64 32 > ${filePath}\`, or set CARNET_MASTER_KEY.`
        : `The master key file ${filePath} cannot be read (${code}).`,
      { cause: error },
    );
  }
  if (options.privateFile) await assertPrivate(filePath);
  return parseMasterKey(text, `The master key file ${filePath}`);
}

/** A generated key file readable by others is refused, as ssh refuses a private key left open. */
async function assertPrivate(filePath: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(filePath);
  if ((mode & 0o077) !== 0) {
    throw new MasterKeyError(
      `The master key file ${filePath} is open to other users (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${filePath}\`.`,
    );
  }
}
