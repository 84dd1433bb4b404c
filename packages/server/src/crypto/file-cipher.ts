import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { associatedData } from './associated-data.ts';
import { DecryptionFailed } from './crypto.errors.ts';
import type { PatientDataKey } from './patient-keys.ts';

/**
 * A stored file: format version (1 byte) | data key version (4, big-endian) | IV (12) |
 * GCM tag (16) | ciphertext (as long as the file).
 * The key version in the header says which of the patient's keys sealed it, so a patient's key
 * can change without rewriting old files at once. The associated data binds the ciphertext to
 * (patient, file, key version), OWASP ASVS 11.3.3: a blob copied under another patient's or
 * file's key fails authentication instead of opening.
 * The IV is random: a patient's key seals far fewer than the 2^32 files NIST SP 800-38D §8.3
 * allows per key with random 96-bit IVs.
 */
const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const IV_AT = 5;
const TAG_AT = IV_AT + IV_BYTES;
export const FILE_HEADER_BYTES = TAG_AT + TAG_BYTES;

/** OpenSSL returns a new buffer per update; feeding it in chunks bounds that extra memory. */
const CHUNK_BYTES = 64 * 1024;

const aad = (dataKey: PatientDataKey, fileId: string) =>
  associatedData('carnet/file/v1', dataKey.patientId, fileId, dataKey.keyVersion);

/** Seals a file's bytes; the result is the one extra copy of the file in memory. */
export function encryptFile(dataKey: PatientDataKey, fileId: string, plaintext: Uint8Array): Buffer {
  const out = Buffer.allocUnsafeSlow(FILE_HEADER_BYTES + plaintext.length);
  out.writeUInt8(FORMAT_V1, 0);
  out.writeUInt32BE(dataKey.keyVersion, 1);
  const iv = randomBytes(IV_BYTES);
  iv.copy(out, IV_AT);
  const cipher = createCipheriv('aes-256-gcm', dataKey.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(dataKey, fileId));
  // GCM is a stream mode: each update returns exactly as many bytes as it was given.
  for (let at = 0; at < plaintext.length; at += CHUNK_BYTES) {
    cipher.update(plaintext.subarray(at, at + CHUNK_BYTES)).copy(out, FILE_HEADER_BYTES + at);
  }
  cipher.final();
  cipher.getAuthTag().copy(out, TAG_AT);
  return out;
}

/** Which of the patient's key versions sealed `sealed`; throws on a format this code cannot read. */
export function sealedKeyVersion(sealed: Uint8Array): number {
  if (sealed.length < FILE_HEADER_BYTES || sealed[0] !== FORMAT_V1) {
    throw new DecryptionFailed('file', 'unknown format or truncated');
  }
  return Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength).readUInt32BE(1);
}

/**
 * Opens a sealed file. To hold a single copy of the file in memory, it decrypts in place: `sealed`
 * is consumed, and the result is a view into it. If authentication fails, the unverified
 * plaintext is wiped before the error is thrown, so none of it escapes.
 */
export function decryptFile(dataKey: PatientDataKey, fileId: string, sealed: Buffer): Buffer {
  if (sealedKeyVersion(sealed) !== dataKey.keyVersion) {
    throw new DecryptionFailed('file', 'it was sealed under another key version');
  }
  const decipher = createDecipheriv('aes-256-gcm', dataKey.key, sealed.subarray(IV_AT, TAG_AT), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(aad(dataKey, fileId));
  decipher.setAuthTag(sealed.subarray(TAG_AT, FILE_HEADER_BYTES));
  for (let at = FILE_HEADER_BYTES; at < sealed.length; at += CHUNK_BYTES) {
    decipher.update(sealed.subarray(at, at + CHUNK_BYTES)).copy(sealed, at);
  }
  try {
    decipher.final();
  } catch {
    sealed.fill(0);
    throw new DecryptionFailed('file', 'it was altered, or belongs to another patient or file');
  }
  return sealed.subarray(FILE_HEADER_BYTES);
}
