import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import { serviceUnavailable } from '../errors.ts';
import { pendingMigrations } from '../db/migrate.ts';

export function registerHealthRoutes(app: FastifyInstance, deps: Deps) {
  // Liveness: the process answers. It must not touch the database, or a database outage would
  // make an orchestrator restart healthy app nodes.
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  // Readiness: this node can serve requests now.
  app.get('/readyz', { logLevel: 'warn' }, async () => {
    try {
      await sql`select 1`.execute(deps.db);
    } catch {
      throw serviceUnavailable('The database is unreachable.');
    }
    const pending = await pendingMigrations(deps.db);
    if (pending.length > 0) {
      throw serviceUnavailable(`Database migrations are pending: ${pending.join(', ')}. Run npm run migrate.`);
    }
    return { status: 'ready', database: deps.databaseKind };
  });
}
