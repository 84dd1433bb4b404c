import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecryptionFailed } from './crypto.errors.ts';
import { decryptFile, encryptFile, FILE_HEADER_BYTES, sealedKeyVersion } from './file-cipher.ts';
import { generateDataKey } from './key-wrap.ts';
import type { PatientDataKey } from './patient-keys.ts';

const CAMILLE = '00000000-0000-4000-8000-000000000301';
const LUCAS = '00000000-0000-4000-8000-000000000302';
const camilleKey: PatientDataKey = { patientId: CAMILLE, keyVersion: 1, key: generateDataKey() };
const FILE = 'c0ffee00-0000-4000-8000-000000000001';

describe('file encryption (AES-256-GCM under the patient data key)', () => {
  it('gives back any file it sealed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.string({ minLength: 1, maxLength: 40 }), (bytes, fileId) => {
        const sealed = encryptFile(camilleKey, fileId, bytes);
        expect(Buffer.from(decryptFile(camilleKey, fileId, sealed)).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('round-trips a file larger than its working chunk, and an empty one', () => {
    for (const bytes of [randomBytes(3 * 64 * 1024 + 5), Buffer.alloc(0)]) {
      expect(decryptFile(camilleKey, FILE, encryptFile(camilleKey, FILE, bytes)).equals(bytes)).toBe(true);
    }
  });

  it('writes format 1 with the key version in the header, and no plaintext', () => {
    const bytes = Buffer.from('Compte rendu opératoire: appendicectomie sans complication.');
    const sealed = encryptFile({ ...camilleKey, keyVersion: 7 }, FILE, bytes);
    expect(sealed).toHaveLength(FILE_HEADER_BYTES + bytes.length);
    expect(sealed[0]).toBe(1);
    expect(sealedKeyVersion(sealed)).toBe(7);
    expect(sealed.includes(bytes.subarray(0, 16))).toBe(false);
  });

  it('refuses a file in which any single byte was changed, and wipes what it decrypted', () => {
    const sealed = encryptFile(camilleKey, FILE, Buffer.from('Résultat: HbA1c 6,1 %'));
    for (let i = 0; i < sealed.length; i++) {
      const altered = Buffer.from(sealed);
      altered[i]! ^= 0x01;
      expect(() => decryptFile(camilleKey, FILE, altered), `byte ${i}`).toThrow(DecryptionFailed);
      if (i >= FILE_HEADER_BYTES) expect(altered.subarray(FILE_HEADER_BYTES).every((b) => b === 0)).toBe(true);
    }
  });

  it("refuses a truncated file and one sealed in an unknown format", () => {
    const sealed = encryptFile(camilleKey, FILE, Buffer.from('x'.repeat(100)));
    expect(() => decryptFile(camilleKey, FILE, sealed.subarray(0, FILE_HEADER_BYTES - 1))).toThrow(DecryptionFailed);
    expect(() => decryptFile(camilleKey, FILE, Buffer.from(sealed.subarray(0, 60)))).toThrow(DecryptionFailed);
    const v2 = Buffer.from(sealed);
    v2[0] = 2;
    expect(() => decryptFile(camilleKey, FILE, v2)).toThrow(/unknown format/);
  });

  it("does not open Camille's file as Lucas's, even with the same key bytes, nor as another file", () => {
    const seal = () => encryptFile(camilleKey, FILE, Buffer.from('Ordonnance'));
    const asLucas: PatientDataKey = { ...camilleKey, patientId: LUCAS };
    expect(() => decryptFile(asLucas, FILE, seal())).toThrow(DecryptionFailed);
    expect(() => decryptFile(camilleKey, 'another-file', seal())).toThrow(DecryptionFailed);
    expect(() => decryptFile({ ...camilleKey, key: generateDataKey() }, FILE, seal())).toThrow(DecryptionFailed);
    expect(() => decryptFile({ ...camilleKey, keyVersion: 2 }, FILE, seal())).toThrow(DecryptionFailed);
  });

  it('draws a fresh IV for every file: 100,000 seals, no IV twice', () => {
    const ivs = new Set<string>();
    const bytes = Buffer.from('x');
    for (let i = 0; i < 100_000; i++) ivs.add(encryptFile(camilleKey, FILE, bytes).toString('hex', 5, 17));
    expect(ivs.size).toBe(100_000);
  });
});
