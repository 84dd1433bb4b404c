import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { DecryptionFailed, MasterKeyUnavailable, PatientKeyDestroyed } from './crypto.errors.ts';
import { generateDataKey, unwrapDataKey, wrapDataKey } from './key-wrap.ts';
import { findMasterKey, type MasterKey, masterKeyIds, type MasterKeyRing } from './master-key.ts';
import * as repository from './patient-keys.repository.ts';

/** A patient's data key, unwrapped: it encrypts and decrypts that patient's files. */
export interface PatientDataKey {
  readonly patientId: string;
  readonly keyVersion: number;
  readonly key: KeyObject;
}

/**
 * The patient's current data key, made on first use. Two concurrent first calls both insert
 * "if absent" and then read back, so both end with the one key that won.
 */
export async function getOrCreatePatientKey(
  db: Kysely<Database>,
  masterKeys: MasterKeyRing,
  patientId: string,
): Promise<PatientDataKey> {
  const existing = await repository.findLatestKey(db, patientId);
  if (existing !== undefined) return openRow(masterKeys, existing);
  const key = generateDataKey();
  await repository.insertKeyIfAbsent(db, {
    patientId,
    keyVersion: 1,
    wrappedKey: wrapDataKey(masterKeys.current, patientId, 1, key),
    masterKeyId: masterKeys.current.id,
  });
  const winner = await repository.findLatestKey(db, patientId);
  if (winner === undefined) throw new Error('patient_data_key: the row just inserted cannot be read back');
  return openRow(masterKeys, winner);
}

/** The key version a stored file names. A version that does not exist means the file was altered. */
export async function getPatientKey(
  db: Kysely<Database>,
  masterKeys: MasterKeyRing,
  patientId: string,
  keyVersion: number,
): Promise<PatientDataKey> {
  const row = await repository.findKey(db, patientId, keyVersion);
  if (row === undefined) throw new DecryptionFailed('file', 'it names a data key that does not exist');
  return openRow(masterKeys, row);
}

/**
 * Crypto-shredding: erases the patient's wrapped keys, so that their files, wherever copies of
 * them are (object storage, file backups), can no longer be decrypted, and no new key is made
 * for them. Idempotent. The wrapped key still exists in database backups and WAL taken before,
 * which the master key opens: the erasure is complete only once that master key is retired
 * (docs/security.md). Returns how many live keys were destroyed.
 */
export async function destroyPatientKey(db: Kysely<Database>, patientId: string): Promise<number> {
  await repository.insertTombstoneIfAbsent(db, patientId);
  return repository.destroyKeys(db, patientId);
}

export interface RewrapResult {
  rewrapped: number;
  /** Rows `oldKey` could not unwrap (altered, or wrapped under the same id by another key). */
  failed: repository.KeyCursor[];
  /** Live keys still wrapped by `oldKey` when the run ended: the old key may be retired at 0. */
  remaining: number;
}

/**
 * Master-key rotation: re-wraps every live data key wrapped by `oldKey` under `newKey`, a batch
 * per statement. Data keys and files do not change. Safe to interrupt and run again: each run
 * only picks rows still wrapped by `oldKey`. Run it while the application has `newKey` as its
 * current key and `oldKey` among the previous ones, so keys made meanwhile are already new.
 */
export async function rewrapAllKeys(
  db: Kysely<Database>,
  oldKey: MasterKey,
  newKey: MasterKey,
  options: { batchSize?: number; onBatch?: (progress: { rewrapped: number; failed: number }) => void | Promise<void> } = {},
): Promise<RewrapResult> {
  if (oldKey.id === newKey.id) throw new Error('rewrapAllKeys: the old and new master keys are the same key.');
  const batchSize = options.batchSize ?? 500;
  const result: RewrapResult = { rewrapped: 0, failed: [], remaining: 0 };
  let cursor: repository.KeyCursor | undefined;
  for (;;) {
    const rows = await repository.listWrappedBy(db, oldKey.id, cursor, batchSize);
    const last = rows.at(-1);
    if (last === undefined) break;
    cursor = { patientId: last.patient_id, keyVersion: last.key_version };
    const rewrapped = [];
    for (const row of rows) {
      try {
        const dataKey = unwrapDataKey(oldKey, row.patient_id, row.key_version, row.wrapped_key!);
        rewrapped.push({
          patientId: row.patient_id,
          keyVersion: row.key_version,
          wrappedKey: wrapDataKey(newKey, row.patient_id, row.key_version, dataKey),
        });
      } catch (error) {
        if (!(error instanceof DecryptionFailed)) throw error;
        result.failed.push({ patientId: row.patient_id, keyVersion: row.key_version });
      }
    }
    result.rewrapped += await repository.replaceWrappedKeys(db, oldKey.id, newKey.id, rewrapped);
    await options.onBatch?.({ rewrapped: result.rewrapped, failed: result.failed.length });
  }
  result.remaining = await repository.countWrappedBy(db, oldKey.id);
  return result;
}

/**
 * Start-up check: refuses to serve when stored keys are wrapped by a master key this process does
 * not have (a wrong CARNET_MASTER_KEY, nodes configured differently, a rotation's old key dropped
 * too early), rather than failing on each patient's files later.
 */
export async function assertKnownMasterKeys(db: Kysely<Database>, masterKeys: MasterKeyRing): Promise<void> {
  const unknown = await repository.findUnknownMasterKeyId(db, masterKeyIds(masterKeys));
  if (unknown !== undefined) throw new MasterKeyUnavailable(unknown);
}

/** How many live data keys each master key wraps (by master key id): what a rotation has left. */
export async function liveKeysByMasterKey(db: Kysely<Database>): Promise<Map<string, number>> {
  return repository.countLiveKeysByMasterKey(db);
}

function openRow(masterKeys: MasterKeyRing, row: repository.PatientDataKeyRow): PatientDataKey {
  if (row.wrapped_key === null || row.master_key_id === null) throw new PatientKeyDestroyed();
  const master = findMasterKey(masterKeys, row.master_key_id);
  if (master === undefined) throw new MasterKeyUnavailable(row.master_key_id);
  return {
    patientId: row.patient_id,
    keyVersion: row.key_version,
    key: unwrapDataKey(master, row.patient_id, row.key_version, row.wrapped_key),
  };
}
