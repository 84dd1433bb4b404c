import type { Kysely } from 'kysely';
import * as accounts from '../accounts/account.repository.ts';
import type { TotpColumn } from '../accounts/account.table.ts';
import { DecryptionFailed, MasterKeyUnavailable } from '../crypto/crypto.errors.ts';
import { type MasterKey, masterKeyIds, type MasterKeyRing } from '../crypto/master-key.ts';
import type { Database } from '../db/database.ts';
import { openTotpSecretWith, sealTotpSecret, sealTotpSecretWith } from './totp-secret.ts';

const COLUMNS: readonly TotpColumn[] = ['totp_secret', 'totp_pending_secret'];

/**
 * Start-up check: refuses to serve when a TOTP secret is sealed by a master key this process was
 * not given, rather than failing each of those logins later.
 */
export async function assertKnownTotpKeys(db: Kysely<Database>, masterKeys: MasterKeyRing): Promise<void> {
  for (const column of COLUMNS) {
    const unknown = await accounts.findUnknownTotpMasterKeyId(db, column, masterKeyIds(masterKeys));
    if (unknown !== undefined) throw new MasterKeyUnavailable(unknown, 'TOTP secrets');
  }
}

/**
 * Start-up step: seals the secrets enrolled before migration 0006, which it left in clear because
 * SQL cannot encrypt under a key the database never sees. Idempotent, safe on several nodes at
 * once. Returns how many it sealed.
 */
export async function sealCleartextTotpSecrets(
  db: Kysely<Database>,
  masterKeys: MasterKeyRing,
  options: { batchSize?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  let sealed = 0;
  let after: string | undefined;
  for (;;) {
    const rows = await accounts.listCleartextTotpSecrets(db, after, batchSize);
    const last = rows.at(-1);
    if (last === undefined) return sealed;
    after = last.accountId;
    for (const row of rows) {
      const secret = sealTotpSecret(masterKeys, row.accountId, 'totp_secret', row.cleartext);
      if (await accounts.sealCleartextTotpSecret(db, row.accountId, row.cleartext, secret)) sealed++;
    }
  }
}

export interface TotpRewrapResult {
  rewrapped: number;
  /** Accounts whose secret `oldKey` could not open (altered, or sealed by another key of that id). */
  failed: string[];
}

/**
 * Master-key rotation for TOTP secrets: re-seals every secret (confirmed or pending) sealed by
 * `oldKey` under `newKey`, a batch per statement. Safe to interrupt and run again, and to run
 * while Carnet serves logins: a secret enrolled or re-sealed meanwhile is left as it is. What is
 * left under `oldKey` afterwards is counted by `totpSecretsByMasterKey`.
 */
export async function rewrapTotpSecrets(
  db: Kysely<Database>,
  oldKey: MasterKey,
  newKey: MasterKey,
  options: { batchSize?: number } = {},
): Promise<TotpRewrapResult> {
  if (oldKey.id === newKey.id) throw new Error('rewrapTotpSecrets: the old and new master keys are the same key.');
  const batchSize = options.batchSize ?? 500;
  const result: TotpRewrapResult = { rewrapped: 0, failed: [] };
  for (const column of COLUMNS) {
    let after: string | undefined;
    for (;;) {
      const rows = await accounts.listTotpSecretsSealedBy(db, column, oldKey.id, after, batchSize);
      const last = rows.at(-1);
      if (last === undefined) break;
      after = last.accountId;
      const replaced = [];
      for (const row of rows) {
        try {
          const base32 = openTotpSecretWith(oldKey, row.accountId, column, row.sealed);
          replaced.push({ ...row, from: row.sealed, to: sealTotpSecretWith(newKey, row.accountId, column, base32).sealed });
        } catch (error) {
          if (!(error instanceof DecryptionFailed)) throw error;
          result.failed.push(row.accountId);
        }
      }
      result.rewrapped += await accounts.replaceSealedTotpSecrets(db, column, oldKey.id, newKey.id, replaced);
    }
  }
  return result;
}

/** How many TOTP secrets (confirmed and pending) each master key seals, by master key id. */
export async function totpSecretsByMasterKey(db: Kysely<Database>): Promise<Map<string, number>> {
  const total = new Map<string, number>();
  for (const column of COLUMNS) {
    for (const [id, count] of await accounts.countTotpSecretsByMasterKey(db, column)) {
      total.set(id, (total.get(id) ?? 0) + count);
    }
  }
  return total;
}
