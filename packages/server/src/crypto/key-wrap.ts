import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { associatedData } from './associated-data.ts';
import { DecryptionFailed } from './crypto.errors.ts';
import type { MasterKey } from './master-key.ts';

/**
 * A wrapped data key: format version (1 byte) | IV (12) | GCM tag (16) | encrypted key (32).
 * AES-256-GCM with a random IV: a master key wraps one key per patient and per rotation, far
 * below the 2^32 random-IV uses NIST SP 800-38D allows under one key.
 * The associated data binds the wrapped key to its row (patient, version): a wrapped key copied
 * onto another patient's row does not unwrap.
 */
const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;
export const WRAPPED_KEY_BYTES = 1 + IV_BYTES + TAG_BYTES + DATA_KEY_BYTES;

const aad = (patientId: string, keyVersion: number) => associatedData('carnet/data-key/v1', patientId, keyVersion);

export function generateDataKey(): KeyObject {
  return createSecretKey(randomBytes(DATA_KEY_BYTES));
}

export function wrapDataKey(master: MasterKey, patientId: string, keyVersion: number, dataKey: KeyObject): Buffer {
  const raw = dataKey.export();
  try {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', master.key, iv);
    cipher.setAAD(aad(patientId, keyVersion));
    const encrypted = Buffer.concat([cipher.update(raw), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), encrypted]);
  } finally {
    raw.fill(0);
  }
}

/** Throws DecryptionFailed when `master` is not the key that wrapped it, or the row was altered. */
export function unwrapDataKey(master: MasterKey, patientId: string, keyVersion: number, wrapped: Uint8Array): KeyObject {
  if (wrapped.length !== WRAPPED_KEY_BYTES || wrapped[0] !== FORMAT_V1) {
    throw new DecryptionFailed('data key', 'unknown format or wrong length');
  }
  const iv = wrapped.subarray(1, 1 + IV_BYTES);
  const tag = wrapped.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', master.key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(patientId, keyVersion));
  decipher.setAuthTag(tag);
  const raw = decipher.update(wrapped.subarray(1 + IV_BYTES + TAG_BYTES));
  try {
    decipher.final();
    return createSecretKey(raw);
  } catch {
    // GCM's final() fails only when the tag does not match.
    throw new DecryptionFailed('data key', 'it was wrapped by another master key, or altered');
  } finally {
    raw.fill(0);
  }
}
