import type { Kysely } from 'kysely';
import { createPasswordHasher, type PasswordHasher } from './accounts/password-hasher.ts';
import { configureAuditGroupCommit } from './audit/audit.service.ts';
import { createBlobStore } from './blobs/blob-store-config.ts';
import { createEncryptedBlobStore, type PatientFileStore } from './blobs/encrypted-blob-store.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import type { MasterKeyRing } from './crypto/master-key.ts';
import { loadMasterKeyRing } from './crypto/master-key-ring.ts';
import { assertKnownMasterKeys } from './crypto/patient-keys.ts';
import { connectDatabase } from './db/connect.ts';
import type { Database } from './db/database.ts';
import { migrateToLatest, type MigrationRun } from './db/migrate.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import { assertKnownTotpKeys, sealCleartextTotpSecrets } from './login/totp-secret-keys.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { createOAuthRuntime, type OAuthRuntime } from './oauth/oauth-runtime.ts';
import { loadOAuthSigningKeys } from './oauth/signing-keys.ts';

/** Everything a feature needs from the outside world, built once and passed down explicitly. */
export interface Deps {
  config: Config;
  db: Kysely<Database>;
  databaseKind: 'embedded' | 'postgres';
  metrics: Metrics;
  /** The migrations this start applied; `wasEmpty` marks a brand-new database. */
  migrations: MigrationRun;
  /** The time every deadline is measured by; tests replace `now` to move time forward. */
  clock: Clock;
  passwordHasher: PasswordHasher;
  /** Outgoing mail (login codes, reset links): the SMTP relay, or the outbox folder. */
  mailer: Mailer;
  /** The current master key seals; the previous ones (during a rotation) only open. */
  masterKeys: MasterKeyRing;
  /** Patients' files, encrypted under their data keys, in the bucket or the files folder. */
  patientFiles: PatientFileStore;
  /** Carnet's OAuth server keys, and the resource server's check of professionals' software tokens. */
  oauth: OAuthRuntime;
  close(): Promise<void>;
}

export async function createDeps(config: Config): Promise<Deps> {
  // The key first: a missing or malformed key stops the start before anything is opened.
  const masterKeys = await loadMasterKeyRing(config);
  const oauthKeys = await loadOAuthSigningKeys(config);
  const blobs = await createBlobStore(config);
  const connection = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }).catch(
    async (error: unknown) => {
      await blobs.close();
      throw error;
    },
  );
  try {
    const migrations = await migrateToLatest(connection.db);
    // The embedded database keeps only a transaction's statements together (audit.group-commit.ts).
    configureAuditGroupCommit(connection.db, { ownTransaction: connection.kind === 'embedded' });
    // A wrong key fails here, with the variable to fix, and not at the first file or login.
    await assertKnownMasterKeys(connection.db, masterKeys);
    await assertKnownTotpKeys(connection.db, masterKeys);
    await sealCleartextTotpSecrets(connection.db, masterKeys);
    const mailer = createMailer(config);
    const clock = { now: systemClock.now };
    return {
      config,
      db: connection.db,
      databaseKind: connection.kind,
      metrics: createMetrics(),
      migrations,
      clock,
      passwordHasher: await createPasswordHasher(),
      mailer,
      masterKeys,
      patientFiles: createEncryptedBlobStore({ blobs, db: connection.db, masterKeys }),
      oauth: createOAuthRuntime({ config, db: connection.db, clock, keys: oauthKeys }),
      async close() {
        mailer.close();
        await blobs.close();
        await connection.close();
      },
    };
  } catch (error) {
    await blobs.close();
    await connection.close();
    throw error;
  }
}
