import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MasterKeyError } from './crypto.errors.ts';
import {
  createMasterKeyRing,
  findMasterKey,
  generateMasterKeyBase64,
  loadOrCreateMasterKeyFile,
  parseMasterKey,
  parsePreviousMasterKeys,
  readMasterKeyFile,
} from './master-key.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'carnet-master-key-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const posixOnly = it.skipIf(process.platform === 'win32');

describe('CARNET_MASTER_KEY', () => {
  it('is 32 bytes in base64, named by the first 8 bytes of its SHA-256', () => {
    const bytes = randomBytes(32);
    const key = parseMasterKey(bytes.toString('base64'), 'CARNET_MASTER_KEY');
    expect(key.id).toBe(createHash('sha256').update(bytes).digest('hex').slice(0, 16));
    expect(key.key.export().equals(bytes)).toBe(true);
  });

  it.each([
    ['too short', randomBytes(16).toString('base64'), /24 characters and decodes to 16 bytes/],
    ['too long', randomBytes(48).toString('base64'), /decodes to 48 bytes/],
    ['hex', randomBytes(32).toString('hex'), /looks like hex/],
    ['not base64', `${'*'.repeat(43)}=`, /not base64/],
    ['base64url', randomBytes(32).toString('base64url').replace(/^./, '_'), /not base64/],
  ])('refuses a key that is %s, naming the variable and the fix but never the value', (_label, value, reason) => {
    let error: unknown;
    try {
      parseMasterKey(value, 'CARNET_MASTER_KEY');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MasterKeyError);
    const message = (error as Error).message;
    expect(message).toMatch(/^CARNET_MASTER_KEY must be 32 random bytes in base64/);
    expect(message).toContain('openssl rand -base64 32');
    expect(message).toMatch(reason);
    expect(message).not.toContain(value);
  });

  it('is read from a key file, and a missing file says how to create it', async () => {
    const file = path.join(dir, 'given.key');
    await writeFile(file, `${generateMasterKeyBase64()}\n`);
    const fromFile = await readMasterKeyFile(file);
    expect(fromFile.id).toBe(parseMasterKey(await readFile(file, 'utf8'), 'test').id);
    await expect(readMasterKeyFile(path.join(dir, 'missing.key'))).rejects.toThrow(
      /missing\.key does not exist; create it with `openssl rand -base64 32/,
    );
  });

  it('reads previous keys for a rotation, and the ring finds each by id', () => {
    const [current, old] = [generateMasterKeyBase64(), generateMasterKeyBase64()].map((k) => parseMasterKey(k, 'test'));
    const previous = parsePreviousMasterKeys(` ${old!.key.export().toString('base64')} `);
    const ring = createMasterKeyRing(current!, previous);
    expect(findMasterKey(ring, old!.id)?.id).toBe(old!.id);
    expect(findMasterKey(ring, current!.id)?.id).toBe(current!.id);
    expect(findMasterKey(ring, '0000000000000000')).toBeUndefined();
    expect(() => parsePreviousMasterKeys('abc')).toThrow(/CARNET_MASTER_KEY_PREVIOUS \(key 1\)/);
  });
});

describe('the generated key file of the embedded default', () => {
  posixOnly('is created on first start with mode 0600, in a folder with mode 0700', async () => {
    const file = path.join(dir, 'data', 'keys', 'master.key');
    const key = await loadOrCreateMasterKeyFile(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(parseMasterKey(await readFile(file, 'utf8'), 'test').id).toBe(key.id);
    expect(await readdir(path.dirname(file))).toEqual(['master.key']);
  });

  it('is the same key on every later start', async () => {
    const file = path.join(dir, 'restart', 'master.key');
    const first = await loadOrCreateMasterKeyFile(file);
    const again = await loadOrCreateMasterKeyFile(file);
    expect(again.id).toBe(first.id);
  });

  it('is one key when several processes start at once', async () => {
    const file = path.join(dir, 'race', 'master.key');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateMasterKeyFile(file)));
    expect(new Set(keys.map((k) => k.id)).size).toBe(1);
    expect(await readdir(path.dirname(file))).toEqual(['master.key']);
  });

  posixOnly('is refused once other users can read it', async () => {
    const file = path.join(dir, 'open', 'master.key');
    await loadOrCreateMasterKeyFile(file);
    await chmod(file, 0o644);
    await expect(loadOrCreateMasterKeyFile(file)).rejects.toThrow(/open to other users \(mode 644\); run `chmod 600/);
  });

  it('is refused, not replaced, when it holds something that is not a key', async () => {
    const file = path.join(dir, 'corrupt', 'master.key');
    await loadOrCreateMasterKeyFile(file);
    await writeFile(file, 'not a key');
    await expect(loadOrCreateMasterKeyFile(file)).rejects.toBeInstanceOf(MasterKeyError);
    expect(await readFile(file, 'utf8')).toBe('not a key');
  });

  it('keeps its bytes out of anything that prints it', async () => {
    const key = await loadOrCreateMasterKeyFile(path.join(dir, 'print', 'master.key'));
    const raw = key.key.export();
    const printed = `${JSON.stringify(key)} ${String(key.key)}`;
    for (const encoding of ['base64', 'hex'] as const) expect(printed).not.toContain(raw.toString(encoding));
  });
});
