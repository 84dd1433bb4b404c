import type { Kysely } from 'kysely';
import { decryptFile, encryptFile, sealedKeyVersion } from '../crypto/file-cipher.ts';
import type { MasterKeyRing } from '../crypto/master-key.ts';
import { getOrCreatePatientKey, getPatientKey } from '../crypto/patient-keys.ts';
import type { Database } from '../db/database.ts';
import type { BlobStore } from './blob-store.ts';

/**
 * Patients' files, encrypted under each patient's data key before they reach the blob store, so
 * that neither the storage nor its backups ever hold plaintext, and destroying the patient's key
 * makes every copy unreadable.
 */
export interface PatientFileStore {
  putPatientFile(patientId: string, fileId: string, bytes: Uint8Array): Promise<void>;
  /** Throws BlobNotFound, PatientKeyDestroyed, or DecryptionFailed (altered or misplaced bytes). */
  getPatientFile(patientId: string, fileId: string): Promise<Buffer>;
  deletePatientFile(patientId: string, fileId: string): Promise<void>;
}

export const patientFileKey = (patientId: string, fileId: string) => `${patientId}/${fileId}`;

export function createEncryptedBlobStore(deps: {
  blobs: BlobStore;
  db: Kysely<Database>;
  masterKeys: MasterKeyRing;
}): PatientFileStore {
  const { blobs, db, masterKeys } = deps;
  return {
    async putPatientFile(patientId, fileId, bytes) {
      const dataKey = await getOrCreatePatientKey(db, masterKeys, patientId);
      await blobs.put(patientFileKey(patientId, fileId), encryptFile(dataKey, fileId, bytes));
    },

    async getPatientFile(patientId, fileId) {
      const sealed = await blobs.get(patientFileKey(patientId, fileId));
      const dataKey = await getPatientKey(db, masterKeys, patientId, sealedKeyVersion(sealed));
      return decryptFile(dataKey, fileId, sealed);
    },

    async deletePatientFile(patientId, fileId) {
      await blobs.delete(patientFileKey(patientId, fileId));
    },
  };
}
