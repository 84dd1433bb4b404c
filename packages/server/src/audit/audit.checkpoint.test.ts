import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendCheckpointLine,
  type Checkpoint,
  type CheckpointLine,
  readCheckpointFile,
  readLastCheckpoint,
  signCheckpoint,
} from './audit.checkpoint.ts';
import { AuditKeyError } from './audit.errors.ts';
import { loadOrCreateSigningKey, loadPublicKey, publicKeyFileFor, signingKeyId } from './audit.signing-key.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'carnet-audit-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const keyFile = () => path.join(dir, 'audit', 'checkpoint-signing.pem');
const checkpointOf = (keyId: string): Checkpoint => ({
  version: 1,
  createdAt: '2026-03-01T10:00:00.000Z',
  keyId,
  heads: [{ patientId: '0b5f1d6e-8a57-4c33-9a3e-2f1d2c3b4a59', seq: 7, hash: 'ab'.repeat(32) }],
});
async function readAll(file: string, key: Parameters<typeof readCheckpointFile>[1]) {
  const lines: CheckpointLine[] = [];
  for await (const line of readCheckpointFile(file, key)) lines.push(line);
  return lines;
}

describe('the checkpoint signing key', () => {
  it('is generated on first use, private to its owner, with its public key beside it, and reused after', async () => {
    const key = await loadOrCreateSigningKey(keyFile());
    expect((await stat(keyFile())).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(keyFile()))).mode & 0o777).toBe(0o700);
    expect(publicKeyFileFor(keyFile())).toBe(path.join(dir, 'audit', 'checkpoint-signing.pub.pem'));
    expect((await loadPublicKey(publicKeyFileFor(keyFile()))).equals(key.publicKey)).toBe(true);
    const again = await loadOrCreateSigningKey(keyFile());
    expect(again.keyId).toBe(key.keyId);
    expect(again.privateKey.equals(key.privateKey)).toBe(true);
  });

  it('ends with one key when two processes create it at once', async () => {
    const [a, b] = await Promise.all([loadOrCreateSigningKey(keyFile()), loadOrCreateSigningKey(keyFile())]);
    expect(a.keyId).toBe(b.keyId);
  });

  it('is refused when other users can read it, or when the public key beside it is another', async () => {
    await loadOrCreateSigningKey(keyFile());
    await chmod(keyFile(), 0o640);
    await expect(loadOrCreateSigningKey(keyFile())).rejects.toThrow(/chmod 600/);
    await chmod(keyFile(), 0o600);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
    await writeFile(publicKeyFileFor(keyFile()), other);
    await expect(loadOrCreateSigningKey(keyFile())).rejects.toBeInstanceOf(AuditKeyError);
  });
});

describe('the checkpoint file', () => {
  it('reads back a signed checkpoint, and rejects one altered, forged or torn', async () => {
    const key = await loadOrCreateSigningKey(keyFile());
    const forger = generateKeyPairSync('ed25519');
    const file = path.join(dir, 'audit', 'checkpoints.jsonl');
    const genuine = signCheckpoint(checkpointOf(key.keyId), key.privateKey);
    await appendCheckpointLine(file, genuine);
    await appendCheckpointLine(file, genuine.replace('"seq":7', '"seq":6'));
    await appendCheckpointLine(file, signCheckpoint(checkpointOf(key.keyId), forger.privateKey));
    await appendCheckpointLine(file, signCheckpoint(checkpointOf(signingKeyId(forger.publicKey)), forger.privateKey));
    await writeFile(file, genuine.slice(0, 40), { flag: 'a' }); // a crash in the middle of a write
    await appendCheckpointLine(file, genuine);

    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(7);
    const lines = await readAll(file, key.publicKey);
    expect(lines.map((l) => (l.valid ? { line: l.line, valid: true } : { line: l.line, detail: l.detail }))).toEqual([
      { line: 1, valid: true },
      { line: 2, detail: 'the signature does not match' },
      { line: 3, detail: 'the signature does not match' },
      { line: 4, detail: `signed by another key (${signingKeyId(forger.publicKey)})` },
      { line: 5, detail: 'not JSON (a torn or altered line)' },
      { line: 6, valid: true },
    ]);
    expect(lines[0]).toMatchObject({ checkpoint: checkpointOf(key.keyId) });
  });

  it('refuses a line with fields nobody signed', async () => {
    const key = await loadOrCreateSigningKey(keyFile());
    const file = path.join(dir, 'checkpoints.jsonl');
    const line = JSON.parse(signCheckpoint(checkpointOf(key.keyId), key.privateKey));
    await appendCheckpointLine(file, JSON.stringify({ ...line, note: 'all good' }));
    expect(await readAll(file, key.publicKey)).toEqual([{ line: 1, valid: false, detail: 'not a checkpoint' }]);
  });

  it('is empty when no checkpoint was written yet', async () => {
    const key = await loadOrCreateSigningKey(keyFile());
    expect(await readAll(path.join(dir, 'none.jsonl'), key.publicKey)).toEqual([]);
  });

  it('gives its last checkpoint, however long, and none when the last line is torn or forged', async () => {
    const key = await loadOrCreateSigningKey(keyFile());
    const file = path.join(dir, 'audit', 'checkpoints.jsonl');
    expect(await readLastCheckpoint(file, key.publicKey)).toBeUndefined();
    // 3,000 heads: a line of some 300 kB, read back from the end in growing chunks.
    const long: Checkpoint = {
      ...checkpointOf(key.keyId),
      heads: Array.from({ length: 3000 }, (_, i) => ({ patientId: `0b5f1d6e-8a57-4c33-9a3e-${String(i).padStart(12, '0')}`, seq: i + 1, hash: 'cd'.repeat(32) })),
    };
    await appendCheckpointLine(file, signCheckpoint(checkpointOf(key.keyId), key.privateKey));
    await appendCheckpointLine(file, signCheckpoint(long, key.privateKey));
    expect(await readLastCheckpoint(file, key.publicKey)).toEqual(long);

    await writeFile(file, '{"version":1,"createdAt":', { flag: 'a' }); // a crash in the middle of a write
    expect(await readLastCheckpoint(file, key.publicKey)).toBeUndefined();
    await appendCheckpointLine(file, signCheckpoint(checkpointOf(key.keyId), generateKeyPairSync('ed25519').privateKey));
    expect(await readLastCheckpoint(file, key.publicKey)).toBeUndefined();
  });
});
