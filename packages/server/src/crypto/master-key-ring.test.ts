import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { MasterKeyError } from './crypto.errors.ts';
import { generateMasterKeyBase64, parseMasterKey } from './master-key.ts';
import { generatedMasterKeyFile, loadMasterKeyRing } from './master-key-ring.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'carnet-key-ring-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const POSTGRES = 'postgres://postgres@db.example/carnet';
const dataDir = (name: string) => path.join(root, name);

describe('the master key a start uses', () => {
  it('is generated into the data folder of the embedded database on first start, and reused after', async () => {
    const config = loadConfig({ CARNET_DATA_DIR: dataDir('embedded') });
    const first = await loadMasterKeyRing(config);
    const file = generatedMasterKeyFile(config.dataDir);
    expect(file).toBe(path.join(dataDir('embedded'), 'keys', 'master.key'));
    expect(parseMasterKey(await readFile(file, 'utf8'), 'test').id).toBe(first.current.id);
    expect((await loadMasterKeyRing(config)).current.id).toBe(first.current.id);
    expect(first.previous).toEqual([]);
  });

  it('is refused, not generated, for a PostgreSQL server outside demo mode', async () => {
    const config = loadConfig({ CARNET_DATA_DIR: dataDir('production'), DATABASE_URL: POSTGRES });
    const attempt = loadMasterKeyRing(config);
    await expect(attempt).rejects.toBeInstanceOf(MasterKeyError);
    await expect(attempt).rejects.toThrow(/CARNET_MASTER_KEY \(or CARNET_MASTER_KEY_FILE\) is required with DATABASE_URL/);
    await expect(readdir(dataDir('production'))).rejects.toThrow(/ENOENT/);
  });

  it('is generated for a PostgreSQL server in demo mode', async () => {
    const config = loadConfig({ CARNET_DATA_DIR: dataDir('demo'), DATABASE_URL: POSTGRES, CARNET_DEMO: '1' });
    const ring = await loadMasterKeyRing(config);
    expect(parseMasterKey(await readFile(generatedMasterKeyFile(config.dataDir), 'utf8'), 'test').id).toBe(ring.current.id);
  });

  it('is the configured one, with the previous keys of a rotation, and nothing is generated', async () => {
    const [current, old] = [generateMasterKeyBase64(), generateMasterKeyBase64()];
    const ring = await loadMasterKeyRing(
      loadConfig({ CARNET_DATA_DIR: dataDir('given'), DATABASE_URL: POSTGRES, CARNET_MASTER_KEY: current, CARNET_MASTER_KEY_PREVIOUS: old }),
    );
    expect(ring.current.id).toBe(parseMasterKey(current, 'test').id);
    expect(ring.previous.map((key) => key.id)).toEqual([parseMasterKey(old, 'test').id]);
    await expect(readdir(dataDir('given'))).rejects.toThrow(/ENOENT/);
  });

  it('is read from CARNET_MASTER_KEY_FILE, which is never created', async () => {
    const file = path.join(root, 'operator.key');
    const base64 = generateMasterKeyBase64();
    await writeFile(file, `${base64}\n`, { mode: 0o600 });
    const ring = await loadMasterKeyRing(loadConfig({ DATABASE_URL: POSTGRES, CARNET_MASTER_KEY_FILE: file }));
    expect(ring.current.id).toBe(parseMasterKey(base64, 'test').id);
    const missing = path.join(root, 'missing.key');
    await expect(loadMasterKeyRing(loadConfig({ CARNET_MASTER_KEY_FILE: missing }))).rejects.toThrow(/does not exist/);
    await expect(readFile(missing)).rejects.toThrow(/ENOENT/);
  });
});
