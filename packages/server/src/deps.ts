import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import { connectDatabase } from './db/connect.ts';
import type { Database } from './db/database.ts';
import { migrateToLatest, type MigrationRun } from './db/migrate.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';

/** Everything a feature needs from the outside world, built once and passed down explicitly. */
export interface Deps {
  config: Config;
  db: Kysely<Database>;
  databaseKind: 'embedded' | 'postgres';
  metrics: Metrics;
  /** The migrations this start applied; `wasEmpty` marks a brand-new database. */
  migrations: MigrationRun;
  close(): Promise<void>;
}

export async function createDeps(config: Config): Promise<Deps> {
  const connection = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const migrations = await migrateToLatest(connection.db);
    return {
      config,
      db: connection.db,
      databaseKind: connection.kind,
      metrics: createMetrics(),
      migrations,
      close: () => connection.close(),
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
