// `npm run keys:rotate`: re-wraps everything the previous master keys sealed (patients' data keys,
// TOTP secrets) under the current one, reading the server's configuration: the new key in
// CARNET_MASTER_KEY or CARNET_MASTER_KEY_FILE, the old ones in CARNET_MASTER_KEY_PREVIOUS. Prints
// what it did and exits 0 only when nothing is left sealed by another key, the moment the old key
// may be dropped from the configuration (docs/operations.md). Safe to run again, and while Carnet
// serves on PostgreSQL; with the embedded database, stop Carnet first.
import type { Kysely } from 'kysely';
import { ConfigError, loadConfig } from '../config.ts';
import { MasterKeyError } from '../crypto/crypto.errors.ts';
import type { MasterKeyRing } from '../crypto/master-key.ts';
import { loadMasterKeyRing } from '../crypto/master-key-ring.ts';
import { liveKeysByMasterKey, rewrapAllKeys } from '../crypto/patient-keys.ts';
import { connectDatabase } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { rewrapTotpSecrets, sealCleartextTotpSecrets, totpSecretsByMasterKey } from '../login/totp-secret-keys.ts';

/** What a rotation did to one kind of sealed row. */
export interface RotationCounts {
  rewrapped: number;
  /** Sealed by the current key and not touched by this run (made by it, or by an earlier run). */
  alreadyCurrent: number;
  /** Still sealed by another master key, by key id. */
  left: Map<string, number>;
  /** Rows a previous key could not open (altered), named for the operator. */
  failed: string[];
}

export interface RotationReport {
  dataKeys: RotationCounts;
  totpSecrets: RotationCounts;
  /** True when no row is sealed by any key but the current one. */
  done: boolean;
}

export async function rotateMasterKey(db: Kysely<Database>, masterKeys: MasterKeyRing): Promise<RotationReport> {
  const { current } = masterKeys;
  let dataRewrapped = 0;
  let totpRewrapped = 0;
  const dataFailed: string[] = [];
  const totpFailed: string[] = [];
  for (const old of masterKeys.previous) {
    const data = await rewrapAllKeys(db, old, current);
    dataRewrapped += data.rewrapped;
    dataFailed.push(...data.failed.map((f) => `patient ${f.patientId}, data key version ${f.keyVersion}, master key ${old.id}`));
    const totp = await rewrapTotpSecrets(db, old, current);
    totpRewrapped += totp.rewrapped;
    totpFailed.push(...totp.failed.map((accountId) => `account ${accountId}, master key ${old.id}`));
  }
  const dataKeys = countsOf(await liveKeysByMasterKey(db), current.id, dataRewrapped, dataFailed);
  const totpSecrets = countsOf(await totpSecretsByMasterKey(db), current.id, totpRewrapped, totpFailed);
  return { dataKeys, totpSecrets, done: dataKeys.left.size === 0 && totpSecrets.left.size === 0 };
}

function countsOf(byKey: Map<string, number>, currentId: string, rewrapped: number, failed: string[]): RotationCounts {
  const left = new Map([...byKey].filter(([id, count]) => id !== currentId && count > 0).sort(([a], [b]) => a.localeCompare(b)));
  return { rewrapped, alreadyCurrent: Math.max(0, (byKey.get(currentId) ?? 0) - rewrapped), left, failed };
}

export function formatRotation(report: RotationReport, masterKeys: MasterKeyRing): string {
  const known = new Set(masterKeys.previous.map((key) => key.id));
  const previous = [...known].join(', ') || 'none given';
  const lines = [`Master key rotation to master key ${masterKeys.current.id} (previous: ${previous}).`];
  for (const [label, counts] of [
    ['Patient data keys', report.dataKeys],
    ['TOTP secrets', report.totpSecrets],
  ] as const) {
    const left = [...counts.left.values()].reduce((sum, n) => sum + n, 0);
    const where = [...counts.left].map(([id, n]) => `${n} under ${id}${known.has(id) ? '' : ', a key not configured'}`);
    lines.push(
      `${label}: ${counts.rewrapped} re-wrapped, ${counts.alreadyCurrent} already current, ${left} left${where.length > 0 ? ` (${where.join('; ')})` : ''}.`,
    );
    for (const row of counts.failed) lines.push(`  could not be opened with its master key (altered?): ${row}`);
  }
  lines.push(
    report.done
      ? 'Done: nothing is sealed by another master key. Remove CARNET_MASTER_KEY_PREVIOUS from every node; destroy the old key once no backup still needs it.'
      : 'NOT DONE: rows are still sealed by another master key. Keep that key configured (CARNET_MASTER_KEY_PREVIOUS), ' +
          'give any key not configured there, and run again; rows that cannot be opened need investigating before the old key is destroyed.',
  );
  return `${lines.join('\n')}\n`;
}

if (import.meta.main) {
  try {
    const config = loadConfig(process.env);
    const masterKeys = await loadMasterKeyRing(config);
    const connection = await connectDatabase(config);
    try {
      // The database as a server start would leave it: migrated, no TOTP secret in clear.
      await migrateToLatest(connection.db);
      await sealCleartextTotpSecrets(connection.db, masterKeys);
      const report = await rotateMasterKey(connection.db, masterKeys);
      process.stdout.write(formatRotation(report, masterKeys));
      process.exitCode = report.done ? 0 : 1;
    } finally {
      await connection.close();
    }
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof MasterKeyError;
    process.stderr.write(`Could not rotate the master key: ${known ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
