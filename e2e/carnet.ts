import { loadConfig } from '../packages/server/src/config.ts';
import { type RunningCarnet, startCarnet } from '../packages/server/src/server.ts';
import { freePort } from '../packages/server/test/carnet-process.ts';
import { createTestDatabase, type TestDatabase } from '../packages/server/test/test-database.ts';

export interface E2eCarnet {
  carnet: RunningCarnet;
  url: string;
  close(): Promise<void>;
}

/**
 * The real server, as `npm start` runs it, with demo data on a fresh database. Its base URL is the
 * address the browser uses, so that the Origin the browser sends is Carnet's own (CSRF checks).
 */
export async function startE2eCarnet(env: Record<string, string> = {}, port?: number): Promise<E2eCarnet> {
  const database: TestDatabase = await createTestDatabase();
  port ??= await freePort();
  const carnet = await startCarnet(
    loadConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      CARNET_BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      CARNET_DEMO: '1',
      ...database.env,
      ...env,
    }),
  );
  return {
    carnet,
    url: carnet.url,
    async close() {
      await carnet.stop();
      await database.drop();
    },
  };
}
