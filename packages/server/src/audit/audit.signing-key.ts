import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { makeDirectoryDurably, writeFileDurably } from '../blobs/durable-file.ts';
import { AuditKeyError } from './audit.errors.ts';

/** Default names inside the audit folder (`<CARNET_DATA_DIR>/audit`). */
export const SIGNING_KEY_FILE = 'checkpoint-signing.pem';
export const PUBLIC_KEY_FILE = 'checkpoint-signing.pub.pem';

/** The Ed25519 key that signs checkpoints. */
export interface CheckpointSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** `signingKeyId(publicKey)`. */
  keyId: string;
}

/** First 8 bytes of SHA-256 of the public key (SPKI DER), in hex: names the key in checkpoints. */
export function signingKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest().subarray(0, 8).toString('hex');
}

/** `checkpoint-signing.pem` → `checkpoint-signing.pub.pem`. */
export function publicKeyFileFor(privateKeyFile: string): string {
  return privateKeyFile.endsWith('.pem') ? `${privateKeyFile.slice(0, -4)}.pub.pem` : `${privateKeyFile}.pub.pem`;
}

/**
 * The signing key in `privateKeyFile` (PKCS#8 PEM), generated on first use with mode 0600 in a
 * folder of mode 0700; its public key is written beside it (`publicKeyFileFor`) for the verify
 * command. Two processes starting at once end with the same key: a generated file never replaces
 * an existing one.
 * Keep a copy of the public key away from this machine: verification is only as trustworthy as the
 * public key it is given.
 */
export async function loadOrCreateSigningKey(privateKeyFile: string): Promise<CheckpointSigningKey> {
  await makeDirectoryDurably(path.dirname(privateKeyFile), 0o700);
  let pem = await readIfExists(privateKeyFile);
  if (pem === undefined) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const generated = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const outcome = await writeFileDurably(privateKeyFile, generated, { mode: 0o600, replace: false });
    if (outcome === 'written') await chmod(privateKeyFile, 0o600); // in case the umask took bits away from the owner
    pem = (await readIfExists(privateKeyFile))!;
  }
  await assertPrivate(privateKeyFile);
  const privateKey = parseKey(() => createPrivateKey(pem), privateKeyFile);
  const publicKey = createPublicKey(privateKey);
  await writePublicKeyBeside(privateKeyFile, publicKey);
  return { privateKey, publicKey, keyId: signingKeyId(publicKey) };
}

/** The public key (SPKI PEM) that verifies checkpoints. */
export async function loadPublicKey(publicKeyFile: string): Promise<KeyObject> {
  const pem = await readIfExists(publicKeyFile);
  if (pem === undefined) {
    throw new AuditKeyError(
      `No checkpoint public key at ${publicKeyFile}: no checkpoint was ever written there, or the audit folder is elsewhere.`,
    );
  }
  return parseKey(() => createPublicKey(pem), publicKeyFile);
}

async function writePublicKeyBeside(privateKeyFile: string, publicKey: KeyObject): Promise<void> {
  const file = publicKeyFileFor(privateKeyFile);
  const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  if ((await writeFileDurably(file, pem, { mode: 0o644, replace: false })) === 'written') return;
  // A public key that does not match would make every checkpoint look forged: say so now.
  const existing = await loadPublicKey(file);
  if (!existing.equals(publicKey)) {
    throw new AuditKeyError(`${file} is not the public key of ${privateKeyFile}; restore the matching pair.`);
  }
}

function parseKey(parse: () => KeyObject, file: string): KeyObject {
  let key: KeyObject;
  try {
    key = parse();
  } catch (error) {
    throw new AuditKeyError(`${file} is not a PEM key.`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AuditKeyError(`${file} holds a ${key.asymmetricKeyType ?? 'secret'} key; checkpoints are signed with Ed25519.`);
  }
  return key;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new AuditKeyError(`${file} cannot be read (${code}).`, { cause: error });
  }
}

/** A private key readable by others is refused, as ssh refuses one left open. */
async function assertPrivate(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) {
    throw new AuditKeyError(`${file} is open to other users (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${file}\`.`);
  }
}
