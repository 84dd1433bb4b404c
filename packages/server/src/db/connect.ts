import type { Kysely } from 'kysely';
import type pg from 'pg';
import { createKysely, createPool, type Database } from './database.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

export interface DatabaseConnection {
  db: Kysely<Database>;
  pool: pg.Pool;
  kind: 'embedded' | 'postgres';
  close(): Promise<void>;
}

const POOL_SIZE = 20;

/**
 * Opens the database Carnet runs on: the PostgreSQL server at `databaseUrl`, or else the embedded
 * PGlite database kept in `dataDir` (in memory when `dataDir` is undefined).
 */
export async function connectDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string | undefined;
}): Promise<DatabaseConnection> {
  if (options.databaseUrl !== undefined) {
    const pool = createPool(options.databaseUrl, POOL_SIZE);
    const db = createKysely(pool);
    return { db, pool, kind: 'postgres', close: () => db.destroy() };
  }
  const embedded = await startEmbeddedPostgres(options.dataDir);
  // One connection: PGlite runs one query at a time anyway, and its socket multiplexer keeps only
  // a transaction's messages together; the extended-protocol messages of queries on several
  // connections outside transactions can interleave, and a query could get another's answer.
  const pool = createPool(embedded.connectionString, 1);
  const db = createKysely(pool);
  return {
    db,
    pool,
    kind: 'embedded',
    async close() {
      await db.destroy();
      await embedded.stop();
    },
  };
}
