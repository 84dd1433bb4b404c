import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { DecryptionFailed, MasterKeyUnavailable, PatientKeyDestroyed } from '../crypto/crypto.errors.ts';
import { createMasterKeyRing, generateMasterKeyBase64, parseMasterKey } from '../crypto/master-key.ts';
import { destroyPatientKey, getOrCreatePatientKey, rewrapAllKeys } from '../crypto/patient-keys.ts';
import { BlobNotFound } from './blob-store.ts';
import { createEncryptedBlobStore, type PatientFileStore } from './encrypted-blob-store.ts';
import { FsBlobStore } from './fs-blob-store.ts';

let t: TestApp;
let root: string;
let blobs: FsBlobStore;
const masterKey = parseMasterKey(generateMasterKeyBase64(), 'test');
const masterKeys = createMasterKeyRing(masterKey);
let files: PatientFileStore;

beforeAll(async () => {
  t = await startTestApp();
  root = await mkdtemp(path.join(tmpdir(), 'carnet-files-'));
  blobs = new FsBlobStore(root);
  files = createEncryptedBlobStore({ blobs, db: t.deps.db, masterKeys });
});
afterAll(async () => {
  await t.close();
  await rm(root, { recursive: true, force: true });
});

const REPORT = Buffer.from('%PDF-1.7\nCompte rendu de consultation: tension 13/8, poursuite du traitement.\n');
const onDisk = (patientId: string, fileId: string) => path.join(root, patientId, fileId);

describe('patient files, encrypted at rest', () => {
  it('reads back what was stored, while the disk holds only ciphertext', async () => {
    const [patientId, fileId] = [randomUUID(), randomUUID()];
    await files.putPatientFile(patientId, fileId, REPORT);
    expect((await files.getPatientFile(patientId, fileId)).equals(REPORT)).toBe(true);
    const stored = await readFile(onDisk(patientId, fileId));
    expect(stored.includes(REPORT.subarray(0, 24))).toBe(false);
    expect(stored.includes(Buffer.from('tension'))).toBe(false);
  });

  it('keeps key bytes out of the blobs and the database (ASVS 11.1.1)', async () => {
    const [patientId, fileId] = [randomUUID(), randomUUID()];
    await files.putPatientFile(patientId, fileId, randomBytes(4096));
    const dataKey = (await getOrCreatePatientKey(t.deps.db, masterKeys, patientId)).key.export();
    const secrets = [dataKey, masterKey.key.export()];
    const { rows } = await sql<{ row: string }>`select t::text as row from patient_data_key t`.execute(t.deps.db);
    const stored = [await readFile(onDisk(patientId, fileId)), Buffer.from(rows.map((r) => r.row).join('\n'))];
    for (const secret of secrets) {
      for (const haystack of stored) {
        expect(haystack.includes(secret)).toBe(false);
        expect(haystack.includes(Buffer.from(secret.toString('hex')))).toBe(false);
      }
    }
  });

  it('refuses a stored file in which one byte was changed', async () => {
    const [patientId, fileId] = [randomUUID(), randomUUID()];
    await files.putPatientFile(patientId, fileId, REPORT);
    const stored = await readFile(onDisk(patientId, fileId));
    stored[stored.length - 10]! ^= 0x20;
    await writeFile(onDisk(patientId, fileId), stored);
    await expect(files.getPatientFile(patientId, fileId)).rejects.toBeInstanceOf(DecryptionFailed);
  });

  it("does not open patient A's file placed where patient B's file would be", async () => {
    const [a, b, fileId] = [randomUUID(), randomUUID(), randomUUID()];
    await files.putPatientFile(a, fileId, REPORT);
    await files.putPatientFile(b, randomUUID(), Buffer.from('B has a key too'));
    await blobs.put(`${b}/${fileId}`, await blobs.get(`${a}/${fileId}`));
    await expect(files.getPatientFile(b, fileId)).rejects.toBeInstanceOf(DecryptionFailed);
    // Nor under another name within A's own space.
    const renamed = randomUUID();
    await blobs.put(`${a}/${renamed}`, await blobs.get(`${a}/${fileId}`));
    await expect(files.getPatientFile(a, renamed)).rejects.toBeInstanceOf(DecryptionFailed);
  });

  it("makes a patient's files unreadable once their key is destroyed, and only theirs", async () => {
    const [camille, lucas, fileId] = [randomUUID(), randomUUID(), randomUUID()];
    await files.putPatientFile(camille, fileId, REPORT);
    await files.putPatientFile(lucas, fileId, REPORT);
    await destroyPatientKey(t.deps.db, camille);
    await expect(files.getPatientFile(camille, fileId)).rejects.toBeInstanceOf(PatientKeyDestroyed);
    await expect(files.putPatientFile(camille, randomUUID(), REPORT)).rejects.toBeInstanceOf(PatientKeyDestroyed);
    expect((await files.getPatientFile(lucas, fileId)).equals(REPORT)).toBe(true);
  });

  it('reads every file with the new master key after a rotation, and not with the old one alone', async () => {
    const oldKey = parseMasterKey(generateMasterKeyBase64(), 'test');
    const newKey = parseMasterKey(generateMasterKeyBase64(), 'test');
    const before = createEncryptedBlobStore({ blobs, db: t.deps.db, masterKeys: createMasterKeyRing(oldKey) });
    const stored = Array.from({ length: 4 }, () => ({ patientId: randomUUID(), fileId: randomUUID(), bytes: randomBytes(1000) }));
    for (const f of stored) await before.putPatientFile(f.patientId, f.fileId, f.bytes);

    // During the rotation the application runs with the new key current and the old one previous.
    const during = createEncryptedBlobStore({ blobs, db: t.deps.db, masterKeys: createMasterKeyRing(newKey, [oldKey]) });
    expect((await during.getPatientFile(stored[0]!.patientId, stored[0]!.fileId)).equals(stored[0]!.bytes)).toBe(true);
    expect(await rewrapAllKeys(t.deps.db, oldKey, newKey, { batchSize: 3 })).toMatchObject({ remaining: 0, failed: [] });

    const after = createEncryptedBlobStore({ blobs, db: t.deps.db, masterKeys: createMasterKeyRing(newKey) });
    for (const f of stored) expect((await after.getPatientFile(f.patientId, f.fileId)).equals(f.bytes)).toBe(true);
    await expect(before.getPatientFile(stored[1]!.patientId, stored[1]!.fileId)).rejects.toBeInstanceOf(MasterKeyUnavailable);
  });

  it('says a file is missing rather than failing to decrypt it, and deletes files', async () => {
    const [patientId, fileId] = [randomUUID(), randomUUID()];
    await expect(files.getPatientFile(patientId, fileId)).rejects.toBeInstanceOf(BlobNotFound);
    await files.putPatientFile(patientId, fileId, REPORT);
    await files.deletePatientFile(patientId, fileId);
    await expect(files.getPatientFile(patientId, fileId)).rejects.toBeInstanceOf(BlobNotFound);
  });
});
