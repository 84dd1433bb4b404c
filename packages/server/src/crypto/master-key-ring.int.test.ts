import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type CarnetProcess, spawnCarnet } from '../../test/carnet-process.ts';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { loadConfig } from '../config.ts';
import { createDeps } from '../deps.ts';
import { generateMasterKeyBase64, parseMasterKey } from './master-key.ts';

const databases: TestDatabase[] = [];
const running: CarnetProcess[] = [];
afterEach(async () => {
  for (const carnet of running.splice(0)) carnet.child.kill('SIGKILL');
  for (const database of databases.splice(0)) await database.drop();
});

describe('starting with the master key', () => {
  it('stops at once, saying which key is missing and what to do, when it is not the key of the data', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const deps = await createDeps(loadConfig(database.env));
    const keyId = deps.masterKeys.current.id;
    try {
      await deps.patientFiles.putPatientFile(randomUUID(), randomUUID(), Buffer.from('compte rendu'));
    } finally {
      await deps.close();
    }

    const wrong = generateMasterKeyBase64();
    const carnet = await spawnCarnet({ ...database.env, CARNET_MASTER_KEY: wrong }, { waitReady: false });
    running.push(carnet);
    expect((await carnet.exited).code).toBe(78);
    expect(carnet.output()).toContain(`Stored data keys are sealed by master key ${keyId}, which is not configured.`);
    expect(carnet.output()).toContain('CARNET_MASTER_KEY_PREVIOUS');
    expect(carnet.output()).not.toContain(wrong);
    expect(carnet.output()).not.toContain(parseMasterKey(wrong, 'test').key.export().toString('hex'));
  });

  it('refuses to generate one for a PostgreSQL database outside demo mode', async () => {
    const carnet = await spawnCarnet(
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', CARNET_DEMO: '0', CARNET_DATA_DIR: '/nonexistent/carnet' },
      { waitReady: false },
    );
    running.push(carnet);
    expect((await carnet.exited).code).toBe(78);
    expect(carnet.output()).toContain('CARNET_MASTER_KEY (or CARNET_MASTER_KEY_FILE) is required with DATABASE_URL');
  });
});
