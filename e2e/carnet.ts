import { loadConfig } from '../packages/server/src/config.ts';
import { type RunningCarnet, startCarnet } from '../packages/server/src/server.ts';
import { createTestDatabase, type TestDatabase } from '../packages/server/test/test-database.ts';

export interface E2eCarnet {
  carnet: RunningCarnet;
  url: string;
  close(): Promise<void>;
}

/** The real server, as `npm start` runs it, with demo data on a fresh database. */
export async function startE2eCarnet(): Promise<E2eCarnet> {
  const database: TestDatabase = await createTestDatabase();
  const carnet = await startCarnet(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', CARNET_DEMO: '1', ...database.env }),
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
