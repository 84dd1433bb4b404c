import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserOf,
  createTestAccount,
  headersOf,
  loginWithPassword,
  type ManualClock,
  type TestAccount,
  useManualClock,
} from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { createEncryptedBlobStore } from '../blobs/encrypted-blob-store.ts';
import { FsBlobStore } from '../blobs/fs-blob-store.ts';
import { loadConfig } from '../config.ts';
import { MasterKeyUnavailable } from '../crypto/crypto.errors.ts';
import { createMasterKeyRing, generateMasterKeyBase64, type MasterKey, parseMasterKey } from '../crypto/master-key.ts';
import { generatedMasterKeyFile } from '../crypto/master-key-ring.ts';
import { assertKnownMasterKeys } from '../crypto/patient-keys.ts';
import { createDeps } from '../deps.ts';
import { totpCode } from '../login/totp.ts';
import { sealTotpSecret } from '../login/totp-secret.ts';
import { assertKnownTotpKeys } from '../login/totp-secret-keys.ts';
import { formatRotation, rotateMasterKey } from './rotate-master-key.ts';

let t: TestApp;
let clock: ManualClock;
beforeAll(async () => {
  t = await startTestApp();
  clock = useManualClock(t.deps);
});
afterAll(() => t.close());

const newMasterKey = () => parseMasterKey(generateMasterKeyBase64(), 'test');

async function totpLoginStatus(account: TestAccount) {
  clock.advance(30_000); // a new code: the last one was used
  const partial = browserOf(t, await loginWithPassword(t, account));
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/totp',
    headers: headersOf(partial),
    payload: { code: totpCode(account.totpSecret!, t.deps.clock.now()) },
  });
  return res.statusCode;
}

describe('master key rotation (npm run keys:rotate)', () => {
  // The tests run in order on one database: each rotates away from the key the previous one left.
  let before: MasterKey;
  let after: MasterKey;
  let account: TestAccount;

  it('re-wraps data keys and TOTP secrets, confirmed and pending, and TOTP logins keep working', async () => {
    before = t.deps.masterKeys.current;
    after = newMasterKey();
    account = await createTestAccount(t);
    const enrolling = await createTestAccount(t, { totp: false });
    const pending = sealTotpSecret(t.deps.masterKeys, enrolling.accountId, 'totp_pending_secret', 'JBSWY3DPEHPK3PXP');
    await t.deps.db
      .updateTable('account')
      .set({ totp_pending_secret: pending.sealed, totp_pending_secret_key_id: pending.masterKeyId })
      .where('account_id', '=', enrolling.accountId)
      .execute();
    const files = Array.from({ length: 3 }, () => ({ patientId: randomUUID(), fileId: randomUUID(), bytes: randomBytes(100) }));
    for (const f of files) await t.deps.patientFiles.putPatientFile(f.patientId, f.fileId, f.bytes);

    const rotating = createMasterKeyRing(after, [before]);
    const report = await rotateMasterKey(t.deps.db, rotating);
    expect(report).toMatchObject({
      dataKeys: { rewrapped: 3, alreadyCurrent: 0, left: new Map(), failed: [] },
      totpSecrets: { rewrapped: 2, alreadyCurrent: 0, left: new Map(), failed: [] },
      done: true,
    });
    expect(formatRotation(report, rotating)).toBe(
      `Master key rotation to master key ${after.id} (previous: ${before.id}).\n` +
        'Patient data keys: 3 re-wrapped, 0 already current, 0 left.\n' +
        'TOTP secrets: 2 re-wrapped, 0 already current, 0 left.\n' +
        'Done: nothing is sealed by another master key. Remove CARNET_MASTER_KEY_PREVIOUS from every node; destroy the old key once no backup still needs it.\n',
    );

    // The old key is no longer needed, nor enough.
    t.deps.masterKeys = createMasterKeyRing(after);
    expect(await totpLoginStatus(account)).toBe(200);
    const rotatedFiles = createEncryptedBlobStore({ blobs: new FsBlobStore(t.deps.config.filesDir), db: t.deps.db, masterKeys: t.deps.masterKeys });
    for (const f of files) expect((await rotatedFiles.getPatientFile(f.patientId, f.fileId)).equals(f.bytes)).toBe(true);
    await expect(assertKnownMasterKeys(t.deps.db, t.deps.masterKeys)).resolves.toBeUndefined();
    await expect(assertKnownTotpKeys(t.deps.db, t.deps.masterKeys)).resolves.toBeUndefined();
    await expect(assertKnownTotpKeys(t.deps.db, createMasterKeyRing(before))).rejects.toBeInstanceOf(MasterKeyUnavailable);

    // Running it again finds nothing to do.
    expect(await rotateMasterKey(t.deps.db, rotating)).toMatchObject({
      dataKeys: { rewrapped: 0, alreadyCurrent: 3, left: new Map() },
      totpSecrets: { rewrapped: 0, alreadyCurrent: 2, left: new Map() },
      done: true,
    });
  });

  it('is not done while a row cannot be opened or is sealed by a key it was not given, and says which', async () => {
    const next = newMasterKey();
    const stranger = newMasterKey();
    const altered = await createTestAccount(t);
    await sql`update account set totp_secret = set_byte(totp_secret, 20, get_byte(totp_secret, 20) # 1)
              where account_id = ${altered.accountId}`.execute(t.deps.db);
    const foreign = await createTestAccount(t, { totp: false });
    const sealed = sealTotpSecret(createMasterKeyRing(stranger), foreign.accountId, 'totp_secret', 'JBSWY3DPEHPK3PXP');
    await t.deps.db
      .updateTable('account')
      .set({ totp_secret: sealed.sealed, totp_secret_key_id: sealed.masterKeyId })
      .where('account_id', '=', foreign.accountId)
      .execute();

    const rotating = createMasterKeyRing(next, [after]);
    const report = await rotateMasterKey(t.deps.db, rotating);
    expect(report.done).toBe(false);
    expect(report.totpSecrets.left).toEqual(new Map([[after.id, 1], [stranger.id, 1]]));
    expect(report.totpSecrets.failed).toEqual([`account ${altered.accountId}, master key ${after.id}`]);
    expect(report.dataKeys).toMatchObject({ rewrapped: 3, left: new Map() });
    const text = formatRotation(report, rotating);
    expect(text).toContain('TOTP secrets: 2 re-wrapped, ');
    expect(text).toContain(', 2 left (');
    expect(text).toContain(`1 under ${after.id}`);
    expect(text).toContain(`1 under ${stranger.id}, a key not configured`);
    expect(text).toContain(`could not be opened with its master key (altered?): account ${altered.accountId}`);
    expect(text).toMatch(/^NOT DONE: /m);

    t.deps.masterKeys = rotating;
    expect(await totpLoginStatus(account)).toBe(200);
  });
});

describe('the keys:rotate command', () => {
  const CLI = path.resolve(import.meta.dirname, 'rotate-master-key.ts');

  async function run(env: Record<string, string>) {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [CLI], { env: { PATH: process.env.PATH, ...env } });
      return { code: 0, output: stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  }

  it('reads the server configuration, exits 0 once nothing is left under the old key, 1 before', async () => {
    const database = await createTestDatabase();
    try {
      const deps = await createDeps(loadConfig(database.env));
      try {
        await deps.patientFiles.putPatientFile(randomUUID(), randomUUID(), Buffer.from('ordonnance'));
      } finally {
        await deps.close();
      }
      const old = database.env.CARNET_MASTER_KEY ?? (await readFile(generatedMasterKeyFile(database.env.CARNET_DATA_DIR), 'utf8')).trim();
      const next = generateMasterKeyBase64();
      const nextId = parseMasterKey(next, 'test').id;
      const oldId = parseMasterKey(old, 'test').id;

      // The new key alone: the rows under the old one are left, and the command says so.
      const early = await run({ ...database.env, CARNET_MASTER_KEY: next });
      expect(early.code).toBe(1);
      expect(early.output).toContain(`Patient data keys: 0 re-wrapped, 0 already current, 1 left (1 under ${oldId}, a key not configured).`);

      const rotated = await run({ ...database.env, CARNET_MASTER_KEY: next, CARNET_MASTER_KEY_PREVIOUS: old });
      expect(rotated).toEqual({ code: 0, output: expect.stringContaining('Patient data keys: 1 re-wrapped, 0 already current, 0 left.') });
      expect(rotated.output).toContain(`rotation to master key ${nextId} (previous: ${oldId})`);
      expect(rotated.output).not.toContain(old);
      expect(rotated.output).not.toContain(next);
    } finally {
      await database.drop();
    }
  });

  it('refuses a malformed key without echoing it', async () => {
    const bad = randomBytes(32).toString('hex');
    const result = await run({ CARNET_MASTER_KEY: bad });
    expect(result.code).toBe(1);
    expect(result.output).toContain('CARNET_MASTER_KEY must be 32 random bytes in base64');
    expect(result.output).not.toContain(bad);
  });
});
