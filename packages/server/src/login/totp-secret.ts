import type { SealedTotpSecret, TotpColumn } from '../accounts/account.table.ts';
import { associatedData } from '../crypto/associated-data.ts';
import { MasterKeyUnavailable } from '../crypto/crypto.errors.ts';
import { findMasterKey, type MasterKey, type MasterKeyRing } from '../crypto/master-key.ts';
import { openSecret, sealSecret } from '../crypto/secret-seal.ts';

/**
 * TOTP secrets are sealed with AES-256-GCM under the current master key, so that a copy of the
 * database opens no authenticator (ASVS 5.0 11.1.1). The associated data names the account and
 * the column: a sealed secret copied onto another account, or from the pending column to the
 * confirmed one, does not open.
 */
const aad = (accountId: string, column: TotpColumn) => associatedData('carnet/totp-secret/v1', accountId, column);

export function sealTotpSecretWith(master: MasterKey, accountId: string, column: TotpColumn, base32: string): SealedTotpSecret {
  return { sealed: sealSecret(master, aad(accountId, column), Buffer.from(base32, 'utf8')), masterKeyId: master.id };
}

export function sealTotpSecret(
  masterKeys: MasterKeyRing,
  accountId: string,
  column: TotpColumn,
  base32: string,
): SealedTotpSecret {
  return sealTotpSecretWith(masterKeys.current, accountId, column, base32);
}

/** The base32 secret; throws MasterKeyUnavailable or DecryptionFailed (altered, moved). */
export function openTotpSecretWith(master: MasterKey, accountId: string, column: TotpColumn, sealed: Buffer): string {
  return openSecret(master, aad(accountId, column), sealed).toString('utf8');
}

export function openTotpSecret(
  masterKeys: MasterKeyRing,
  accountId: string,
  column: TotpColumn,
  secret: SealedTotpSecret,
): string {
  const master = findMasterKey(masterKeys, secret.masterKeyId);
  if (master === undefined) throw new MasterKeyUnavailable(secret.masterKeyId, 'TOTP secrets');
  return openTotpSecretWith(master, accountId, column, secret.sealed);
}
