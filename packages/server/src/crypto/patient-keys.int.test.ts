import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { DecryptionFailed, MasterKeyUnavailable, PatientKeyDestroyed } from './crypto.errors.ts';
import { unwrapDataKey } from './key-wrap.ts';
import { createMasterKeyRing, generateMasterKeyBase64, type MasterKey, parseMasterKey } from './master-key.ts';
import { assertKnownMasterKeys, destroyPatientKey, getOrCreatePatientKey, getPatientKey, rewrapAllKeys } from './patient-keys.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const newMasterKey = () => parseMasterKey(generateMasterKeyBase64(), 'test');
const rowsOf = (patientId: string) =>
  t.deps.db.selectFrom('patient_data_key').selectAll().where('patient_id', '=', patientId).execute();

describe('patient data keys', () => {
  const ring = createMasterKeyRing(newMasterKey());

  it('makes one key per patient, stored only wrapped by the current master key', async () => {
    const patientId = randomUUID();
    const key = await getOrCreatePatientKey(t.deps.db, ring, patientId);
    const again = await getOrCreatePatientKey(t.deps.db, ring, patientId);
    expect(again.key.equals(key.key)).toBe(true);
    const rows = await rowsOf(patientId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key_version: 1, master_key_id: ring.current.id, destroyed_at: null });
    expect(rows[0]!.wrapped_key!.includes(key.key.export())).toBe(false);
  });

  it('ends with one key when many first requests for a patient race', async () => {
    const patientId = randomUUID();
    const keys = await Promise.all(Array.from({ length: 12 }, () => getOrCreatePatientKey(t.deps.db, ring, patientId)));
    expect(await rowsOf(patientId)).toHaveLength(1);
    for (const key of keys) expect(key.key.equals(keys[0]!.key)).toBe(true);
  });

  it('destroys a key for good: no material left, reads and new keys refused, other patients untouched', async () => {
    const [camille, lucas] = [randomUUID(), randomUUID()];
    await getOrCreatePatientKey(t.deps.db, ring, camille);
    const lucasKey = await getOrCreatePatientKey(t.deps.db, ring, lucas);

    expect(await destroyPatientKey(t.deps.db, camille)).toBe(1);
    expect(await destroyPatientKey(t.deps.db, camille)).toBe(0);

    const [row] = await rowsOf(camille);
    expect(row).toMatchObject({ wrapped_key: null, master_key_id: null });
    expect(row!.destroyed_at).toBeInstanceOf(Date);
    await expect(getPatientKey(t.deps.db, ring, camille, 1)).rejects.toBeInstanceOf(PatientKeyDestroyed);
    await expect(getOrCreatePatientKey(t.deps.db, ring, camille)).rejects.toBeInstanceOf(PatientKeyDestroyed);
    expect((await getPatientKey(t.deps.db, ring, lucas, 1)).key.equals(lucasKey.key)).toBe(true);
  });

  it('never makes a key for a patient destroyed before their first file', async () => {
    const patientId = randomUUID();
    expect(await destroyPatientKey(t.deps.db, patientId)).toBe(0);
    await expect(getOrCreatePatientKey(t.deps.db, ring, patientId)).rejects.toBeInstanceOf(PatientKeyDestroyed);
  });

  it('treats a key version that does not exist as an altered file', async () => {
    const patientId = randomUUID();
    await getOrCreatePatientKey(t.deps.db, ring, patientId);
    await expect(getPatientKey(t.deps.db, ring, patientId, 2)).rejects.toBeInstanceOf(DecryptionFailed);
  });
});

describe('master key rotation', () => {
  // Each test rotates its own pair of master keys, so rows of other tests never count.
  async function keysUnder(master: MasterKey, count: number) {
    const ring = createMasterKeyRing(master);
    const patients = Array.from({ length: count }, () => randomUUID());
    const keys = await Promise.all(patients.map((p) => getOrCreatePatientKey(t.deps.db, ring, p)));
    return { patients, keys };
  }

  it('re-wraps every live key in batches; the keys are unchanged and the old master key opens none', async () => {
    const [oldKey, newKey] = [newMasterKey(), newMasterKey()];
    const { patients, keys } = await keysUnder(oldKey, 7);
    await destroyPatientKey(t.deps.db, patients[0]!);

    const batches: number[] = [];
    const result = await rewrapAllKeys(t.deps.db, oldKey, newKey, {
      batchSize: 2,
      onBatch: ({ rewrapped }) => void batches.push(rewrapped),
    });
    expect(result).toEqual({ rewrapped: 6, failed: [], remaining: 0 });
    expect(batches).toEqual([2, 4, 6]);

    const newRing = createMasterKeyRing(newKey);
    for (const [i, patientId] of patients.entries()) {
      const [row] = await rowsOf(patientId);
      if (i === 0) {
        expect(row).toMatchObject({ wrapped_key: null, master_key_id: null }); // not brought back
        continue;
      }
      expect(row!.master_key_id).toBe(newKey.id);
      expect((await getPatientKey(t.deps.db, newRing, patientId, 1)).key.equals(keys[i]!.key)).toBe(true);
      // The old key fails on the bytes themselves, not merely on the id recorded beside them.
      expect(() => unwrapDataKey(oldKey, patientId, 1, row!.wrapped_key!)).toThrow(DecryptionFailed);
    }
    await expect(getPatientKey(t.deps.db, createMasterKeyRing(oldKey), patients[1]!, 1)).rejects.toBeInstanceOf(
      MasterKeyUnavailable,
    );
  });

  it('does nothing more when run again, and resumes where an interrupted run stopped', async () => {
    const [oldKey, newKey] = [newMasterKey(), newMasterKey()];
    await keysUnder(oldKey, 5);
    const interrupted = rewrapAllKeys(t.deps.db, oldKey, newKey, {
      batchSize: 2,
      onBatch: () => {
        throw new Error('node stopped');
      },
    });
    await expect(interrupted).rejects.toThrow('node stopped');
    expect(await countUnder(oldKey)).toBe(3);

    expect(await rewrapAllKeys(t.deps.db, oldKey, newKey, { batchSize: 2 })).toEqual({ rewrapped: 3, failed: [], remaining: 0 });
    expect(await rewrapAllKeys(t.deps.db, oldKey, newKey)).toEqual({ rewrapped: 0, failed: [], remaining: 0 });
    expect(await countUnder(newKey)).toBe(5);
  });

  it('reports a row the old key cannot open and leaves it in place, so the old key is not retired too early', async () => {
    const [oldKey, newKey] = [newMasterKey(), newMasterKey()];
    const { patients } = await keysUnder(oldKey, 3);
    const victim = patients[1]!;
    await sql`update patient_data_key set wrapped_key = set_byte(wrapped_key, 40, get_byte(wrapped_key, 40) # 1)
              where patient_id = ${victim}`.execute(t.deps.db);
    const result = await rewrapAllKeys(t.deps.db, oldKey, newKey);
    expect(result).toEqual({ rewrapped: 2, failed: [{ patientId: victim, keyVersion: 1 }], remaining: 1 });
  });

  it('refuses to start when stored keys are wrapped by a master key it was not given', async () => {
    const [oldKey, newKey, stranger] = [newMasterKey(), newMasterKey(), newMasterKey()];
    await keysUnder(oldKey, 1);
    await keysUnder(newKey, 1);
    await rewrapAllKeys(t.deps.db, oldKey, newKey);
    // Every other test's keys are in this database too: a ring naming them all must pass.
    const { rows } = await sql<{ id: string }>`select distinct master_key_id as id from patient_data_key
                                              where wrapped_key is not null`.execute(t.deps.db);
    const known = rows.map((r) => r.id).filter((id) => id !== newKey.id);
    const fakes = known.map((id) => ({ ...stranger, id }));
    await expect(assertKnownMasterKeys(t.deps.db, createMasterKeyRing(newKey, fakes))).resolves.toBeUndefined();
    const withoutNew = createMasterKeyRing(stranger, fakes);
    await expect(assertKnownMasterKeys(t.deps.db, withoutNew)).rejects.toMatchObject({ masterKeyId: newKey.id });
  });

  async function countUnder(master: MasterKey) {
    const row = await t.deps.db
      .selectFrom('patient_data_key')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('master_key_id', '=', master.id)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
});

it('keys patient_data_key by (patient_id, key_version), as every patient-owned table', async () => {
  const { rows } = await sql<{ column_name: string }>`
    select kcu.column_name from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu
      on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    where tc.table_name = 'patient_data_key' and tc.constraint_type = 'PRIMARY KEY'
    order by kcu.ordinal_position`.execute(t.deps.db);
  expect(rows.map((r) => r.column_name)).toEqual(['patient_id', 'key_version']);
});
