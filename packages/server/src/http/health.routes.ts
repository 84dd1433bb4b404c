import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import { serviceUnavailable } from '../errors.ts';
import { pendingMigrations } from '../db/migrate.ts';

const Healthy = Type.Object({ status: Type.Literal('ok') });
const Ready = Type.Object({ status: Type.Literal('ready'), database: Type.Union([Type.Literal('embedded'), Type.Literal('postgres')]) });

export function registerHealthRoutes(fastify: FastifyInstance, deps: Deps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // Migrations never go backwards while the process runs: once all applied, stop re-reading them.
  let migrated = false;

  // Liveness: the process answers. It must not touch the database, or a database outage would
  // make an orchestrator restart healthy app nodes.
  app.get('/healthz', { logLevel: 'warn', schema: { response: { 200: Healthy } } }, async () => ({ status: 'ok' as const }));

  // Readiness: this node can serve requests now.
  app.get('/readyz', { logLevel: 'warn', schema: { response: { 200: Ready } } }, async () => {
    try {
      await sql`select 1`.execute(deps.db);
    } catch {
      throw serviceUnavailable('The database is unreachable.');
    }
    if (!migrated) {
      const pending = await pendingMigrations(deps.db);
      if (pending.length > 0) {
        throw serviceUnavailable(`Database migrations are pending: ${pending.join(', ')}. Run npm run migrate.`);
      }
      migrated = true;
    }
    return { status: 'ready' as const, database: deps.databaseKind };
  });
}
