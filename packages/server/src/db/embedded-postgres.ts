import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { acquireDataDirLock } from './data-dir-lock.ts';

export interface EmbeddedPostgres {
  connectionString: string;
  stop(): Promise<void>;
}

// Carnet's pool uses one (db/connect.ts); the others are for a psql session while debugging.
const MAX_CONNECTIONS = 10;

/**
 * Runs PGlite (PostgreSQL compiled to WebAssembly, in this process) and serves it on a loopback
 * port, so that the same `pg` driver code talks to it and to a real PostgreSQL server.
 * `dataDir` undefined keeps the database in memory (tests).
 */
export async function startEmbeddedPostgres(dataDir: string | undefined): Promise<EmbeddedPostgres> {
  let releaseLock = async () => {};
  let pgDataDir: string | undefined;
  if (dataDir !== undefined) {
    await mkdir(dataDir, { recursive: true });
    releaseLock = await acquireDataDirLock(dataDir);
    pgDataDir = path.join(dataDir, 'pgdata');
  }
  try {
    const db = await PGlite.create(pgDataDir === undefined ? {} : { dataDir: pgDataDir });
    const server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      port: 0,
      maxConnections: MAX_CONNECTIONS,
    });
    await server.start();
    const address = server.getServerConn();
    return {
      connectionString: `postgres://postgres@${address}/postgres?sslmode=disable`,
      async stop() {
        await server.stop();
        await db.close();
        await releaseLock();
      },
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}
