import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCarnet, type CarnetProcess } from '../test/carnet-process.ts';
import { createTestDatabase, type TestDatabase } from '../test/test-database.ts';
import { connectDatabase } from './db/connect.ts';

const running: CarnetProcess[] = [];
const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const carnet of running.splice(0)) carnet.child.kill('SIGKILL');
  for (const database of databases.splice(0)) await database.drop();
});

async function start(env: Record<string, string>) {
  const carnet = await spawnCarnet(env);
  running.push(carnet);
  return carnet;
}

const logLines = (carnet: CarnetProcess) =>
  carnet
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; [key: string]: unknown });

describe('process lifecycle', () => {
  it('comes back with its data after SIGKILL and does not migrate or seed again', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const env = { ...database.env, CARNET_DEMO: '1' };

    const first = await start(env);
    expect(logLines(first).map((l) => l.msg)).toEqual(
      expect.arrayContaining(['database migrated', 'demo data seeded into the new database']),
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const second = await start(env);
    const messages = logLines(second).map((l) => l.msg);
    expect(messages).toContain('Carnet is running');
    expect(messages).not.toContain('database migrated');
    expect(messages).not.toContain('demo data seeded into the new database');
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const connection = await connectDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.CARNET_DATA_DIR });
    try {
      const patients = await connection.db.selectFrom('patient').select('ins_matricule').execute();
      expect(patients).toHaveLength(4);
    } finally {
      await connection.close();
    }
  });

  it('stops gracefully on SIGTERM: exits 0 and releases the port', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const carnet = await start(database.env);
    carnet.child.kill('SIGTERM');
    expect(await carnet.exited).toEqual({ code: 0, signal: null });
    expect(logLines(carnet).map((l) => l.msg)).toContain('stopped');
    await expect(fetch(`${carnet.url}/healthz`)).rejects.toThrow();
  });

  it('refuses a second process on the same embedded data folder', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'carnet-lock-'));
    try {
      await start({ CARNET_DATA_DIR: dataDir });
      const second = await spawnCarnet({ CARNET_DATA_DIR: dataDir }, { waitReady: false });
      running.push(second);
      expect((await second.exited).code).not.toBe(0);
      expect(second.output()).toContain('is used by another Carnet process');
    } finally {
      for (const carnet of running.splice(0)) {
        carnet.child.kill('SIGTERM');
        await carnet.exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a bad configuration value and says which', async () => {
    const carnet = await spawnCarnet({ PORT: 'eighty', LOG_LEVEL: 'chatty' }, { waitReady: false });
    expect((await carnet.exited).code).toBe(78);
    expect(carnet.output()).toContain('PORT must be a whole number, got "eighty"');
    expect(carnet.output()).toContain('LOG_LEVEL must be one of');
  });
});
