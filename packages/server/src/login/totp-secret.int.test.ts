import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Secret } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browserish,
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
import { loadConfig } from '../config.ts';
import { MasterKeyUnavailable } from '../crypto/crypto.errors.ts';
import { createMasterKeyRing, generateMasterKeyBase64, parseMasterKey } from '../crypto/master-key.ts';
import { connectDatabase } from '../db/connect.ts';
import { createMigrator } from '../db/migrate.ts';
import { createDeps } from '../deps.ts';
import { totpCode } from './totp.ts';
import { openTotpSecret, sealTotpSecret } from './totp-secret.ts';
import { assertKnownTotpKeys, sealCleartextTotpSecrets } from './totp-secret-keys.ts';

let t: TestApp;
let clock: ManualClock;
beforeAll(async () => {
  t = await startTestApp();
  clock = useManualClock(t.deps);
});
afterAll(() => t.close());

async function passwordStep(account: TestAccount): Promise<Browserish> {
  const res = await loginWithPassword(t, account);
  expect(res.statusCode).toBe(200);
  return browserOf(t, res);
}

const post = (b: Browserish, url: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: headersOf(b), ...(payload === undefined ? {} : { payload }) });

const totpLogin = async (account: TestAccount, secret: string) => {
  clock.advance(30_000);
  return post(await passwordStep(account), '/api/auth/totp', { code: totpCode(secret, clock.now()) });
};

/** Everything the database holds for the account, as PostgreSQL prints it and as bytes. */
async function storedRow(accountId: string): Promise<{ text: string; bytes: Buffer[] }> {
  const { rows } = await sql<{ text: string }>`select a::text as text from account a where account_id = ${accountId}`.execute(t.deps.db);
  const row = await t.deps.db
    .selectFrom('account')
    .select(['totp_secret', 'totp_pending_secret'])
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return { text: rows[0]!.text, bytes: [row.totp_secret, row.totp_pending_secret].filter((b) => b !== null) };
}

function expectNoTrace(stored: { text: string; bytes: Buffer[] }, secret: string) {
  const raw = Buffer.from(Secret.fromBase32(secret).bytes);
  expect(stored.bytes.length).toBeGreaterThan(0);
  for (const needle of [secret, secret.toLowerCase(), raw.toString('hex'), raw.toString('base64')]) {
    expect(stored.text).not.toContain(needle);
  }
  for (const bytes of stored.bytes) {
    expect(bytes.includes(raw)).toBe(false);
    expect(bytes.includes(Buffer.from(secret))).toBe(false);
  }
}

describe('TOTP secrets at rest', () => {
  it('never stores the secret in clear, pending or confirmed, and logins with it still work', async () => {
    const account = await createTestAccount(t, { totp: false });
    const partial = await passwordStep(account);
    const start = await post(partial, '/api/auth/totp/enrolment');
    const { secret } = start.json() as { secret: string };
    expectNoTrace(await storedRow(account.accountId), secret);

    const done = await post(partial, '/api/auth/totp/enrolment/confirm', { code: totpCode(secret, clock.now()) });
    expect(done.statusCode).toBe(200);
    const stored = await storedRow(account.accountId);
    expectNoTrace(stored, secret);
    expect(await t.deps.db.selectFrom('account').select(['totp_secret_key_id', 'totp_pending_secret']).where('account_id', '=', account.accountId).executeTakeFirst()).toEqual({
      totp_secret_key_id: t.deps.masterKeys.current.id,
      totp_pending_secret: null,
    });

    expect((await totpLogin(account, secret)).statusCode).toBe(200);
  });

  it('refuses a sealed secret copied from another account', async () => {
    const [victim, intruder] = [await createTestAccount(t), await createTestAccount(t)];
    await sql`update account set totp_secret = (select totp_secret from account where account_id = ${victim.accountId})
              where account_id = ${intruder.accountId}`.execute(t.deps.db);
    const res = await totpLogin(intruder, victim.totpSecret!);
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('decryption_failed');
  });

  it('seals at start the secrets stored in clear before migration 0006, and they keep working', async () => {
    const account = await createTestAccount(t, { totp: false });
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await t.deps.db.updateTable('account').set({ totp_secret_cleartext: secret }).where('account_id', '=', account.accountId).execute();

    expect(await sealCleartextTotpSecrets(t.deps.db, t.deps.masterKeys, { batchSize: 2 })).toBeGreaterThanOrEqual(1);
    expect(await sealCleartextTotpSecrets(t.deps.db, t.deps.masterKeys)).toBe(0);
    const row = await t.deps.db
      .selectFrom('account')
      .select(['totp_secret_cleartext', 'totp_secret_key_id'])
      .where('account_id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ totp_secret_cleartext: null, totp_secret_key_id: t.deps.masterKeys.current.id });
    expectNoTrace(await storedRow(account.accountId), secret);
    expect((await totpLogin(account, secret)).statusCode).toBe(200);
  });

  it('refuses to start when a secret is sealed by a master key it was not given', async () => {
    await expect(assertKnownTotpKeys(t.deps.db, t.deps.masterKeys)).resolves.toBeUndefined();
    const stranger = createMasterKeyRing(parseMasterKey(generateMasterKeyBase64(), 'test'));
    const account = await createTestAccount(t, { totp: false });
    const { sealed, masterKeyId } = sealTotpSecret(stranger, account.accountId, 'totp_pending_secret', 'JBSWY3DPEHPK3PXP');
    await t.deps.db
      .updateTable('account')
      .set({ totp_pending_secret: sealed, totp_pending_secret_key_id: masterKeyId })
      .where('account_id', '=', account.accountId)
      .execute();
    const check = assertKnownTotpKeys(t.deps.db, t.deps.masterKeys);
    await expect(check).rejects.toBeInstanceOf(MasterKeyUnavailable);
    await expect(check).rejects.toMatchObject({ masterKeyId: stranger.current.id });
    await t.deps.db
      .updateTable('account')
      .set({ totp_pending_secret: null, totp_pending_secret_key_id: null })
      .where('account_id', '=', account.accountId)
      .execute();
  });
});

describe('an installation upgraded from secrets stored in clear', () => {
  it('keeps every enrolled secret, sealed by the first start, and drops enrolments in flight', async () => {
    const database = await createTestDatabase();
    const [accountId, secret] = [randomUUID(), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'];
    try {
      const before = await connectDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.CARNET_DATA_DIR });
      try {
        await createMigrator(before.db).migrateTo('0004_accounts');
        await sql`insert into account (account_id, kind, email, display_name, totp_secret, totp_pending_secret)
                  values (${accountId}, 'patient', 'ancien@exemple.test', 'Ancien', ${secret}, 'MFRGGZDFMZTWQ2LK')`.execute(before.db);
      } finally {
        await before.close();
      }

      const deps = await createDeps(loadConfig(database.env));
      try {
        const row = await deps.db.selectFrom('account').selectAll().where('account_id', '=', accountId).executeTakeFirstOrThrow();
        expect(row).toMatchObject({ totp_secret_cleartext: null, totp_pending_secret: null, totp_secret_key_id: deps.masterKeys.current.id });
        expect(openTotpSecret(deps.masterKeys, accountId, 'totp_secret', { sealed: row.totp_secret!, masterKeyId: row.totp_secret_key_id! })).toBe(secret);
        const { rows } = await sql<{ text: string }>`select a::text as text from account a where account_id = ${accountId}`.execute(deps.db);
        expect(rows[0]!.text).not.toContain(secret);
      } finally {
        await deps.close();
      }
    } finally {
      await database.drop();
    }
  });
});
