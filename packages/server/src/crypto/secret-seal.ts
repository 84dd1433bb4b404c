import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptionFailed } from './crypto.errors.ts';
import type { MasterKey } from './master-key.ts';

/**
 * A short secret sealed directly under a master key (not a patient's data key): format version
 * (1 byte) | IV (12) | GCM tag (16) | ciphertext. AES-256-GCM with a random IV; the caller's
 * associated data binds the secret to where it is stored, so that it opens nowhere else.
 */
const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

export function sealSecret(master: MasterKey, associatedData: Buffer, plaintext: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', master.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData);
  const encrypted = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), encrypted]);
}

/** Throws DecryptionFailed when `master` did not seal it, or it was altered or moved. */
export function openSecret(master: MasterKey, associatedData: Buffer, sealed: Uint8Array): Buffer {
  if (sealed.length < HEADER_BYTES || sealed[0] !== FORMAT_V1) {
    throw new DecryptionFailed('secret', 'unknown format or truncated');
  }
  const decipher = createDecipheriv('aes-256-gcm', master.key, sealed.subarray(1, 1 + IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(associatedData);
  decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, HEADER_BYTES));
  const plaintext = decipher.update(sealed.subarray(HEADER_BYTES));
  try {
    decipher.final();
    return plaintext;
  } catch {
    plaintext.fill(0);
    throw new DecryptionFailed('secret', 'it was sealed by another master key, or altered, or moved');
  }
}
