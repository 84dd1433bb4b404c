import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createDeps, type Deps } from '../src/deps.ts';
import type { FhirResourceModule } from '../src/fhir/fhir-resource.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  database: TestDatabase;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The whole application on a fresh database, called through `app.inject()`. `prepare` may add
 * routes before the app is sealed (to exercise the error pipeline with a slow or strict route).
 */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    prepare?: (app: FastifyInstance) => void;
    /** Test-only resource types served under /fhir/R4 instead of the application's. */
    fhirResources?: readonly FhirResourceModule[];
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...database.env, ...options.env });
  const deps = await createDeps(config);
  const logs: Record<string, unknown>[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const app = await buildApp(deps, { logStream, ...(options.fhirResources ? { fhirResources: options.fhirResources } : {}) });
  options.prepare?.(app);
  await app.ready();
  return {
    app,
    deps,
    database,
    logs,
    async close() {
      await app.close();
      await deps.close();
      await database.drop();
    },
  };
}
