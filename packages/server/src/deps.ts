import type { Kysely } from 'kysely';
import { createPasswordHasher, type PasswordHasher } from './accounts/password-hasher.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { connectDatabase } from './db/connect.ts';
import type { Database } from './db/database.ts';
import { migrateToLatest, type MigrationRun } from './db/migrate.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';

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
  close(): Promise<void>;
}

export async function createDeps(config: Config): Promise<Deps> {
  const connection = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const migrations = await migrateToLatest(connection.db);
    const mailer = createMailer(config);
    return {
      config,
      db: connection.db,
      databaseKind: connection.kind,
      metrics: createMetrics(),
      migrations,
      clock: { now: systemClock.now },
      passwordHasher: await createPasswordHasher(),
      mailer,
      async close() {
        mailer.close();
        await connection.close();
      },
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
