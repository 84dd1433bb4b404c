import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateMasterKeyBase64 } from '../src/crypto/master-key.ts';
import { generateSigningJwks } from '../src/oauth/signing-keys.ts';

/**
 * Where one test file's database lives. With DATABASE_URL set, a brand-new database is created on
 * that server and dropped afterwards, with a master key of its own (Carnet generates one only for
 * the embedded database) and OAuth signing keys of its own; otherwise a fresh embedded database in
 * a temporary folder, whose keys Carnet generates there. Either way every test file starts from
 * nothing and runs the real migrations.
 */
export interface TestDatabase {
  env: { DATABASE_URL?: string; CARNET_DATA_DIR: string; CARNET_MASTER_KEY?: string; CARNET_OAUTH_SIGNING_KEYS_FILE?: string };
  kind: 'embedded' | 'postgres';
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'carnet-test-'));
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl === undefined || serverUrl === '') {
    return {
      env: { CARNET_DATA_DIR: dataDir },
      kind: 'embedded',
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `carnet_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const signingKeys = path.join(dataDir, 'oauth-signing-keys.json');
  await writeFile(signingKeys, JSON.stringify(generateSigningJwks()), { mode: 0o600 });
  return {
    env: {
      DATABASE_URL: url.toString(),
      CARNET_DATA_DIR: dataDir,
      CARNET_MASTER_KEY: generateMasterKeyBase64(),
      CARNET_OAUTH_SIGNING_KEYS_FILE: signingKeys,
    },
    kind: 'postgres',
    async drop() {
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(serverUrl: string, text: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
