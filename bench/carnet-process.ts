import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSigningJwks } from '../packages/server/src/oauth/signing-keys.ts';
import { startChildServer, type ChildServer } from './child-server.ts';

const MAIN = path.resolve(import.meta.dirname, '../packages/server/src/main.ts');

/** Carnet's own settings (packages/server/src/config.ts), none of which may leak from the shell. */
export const isCarnetSetting = (key: string) =>
  key.startsWith('CARNET_') || ['PORT', 'HOST', 'DATABASE_URL', 'LOG_LEVEL'].includes(key);

/**
 * Starts Carnet on `databaseUrl`, or on the embedded database in a fresh data folder, without demo
 * data. `cleanup` removes the folder; call it after `stop`.
 */
export async function startCarnet(options: {
  host: string;
  port: number;
  databaseUrl: string | undefined;
}): Promise<{ server: ChildServer; cleanup: () => Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'carnet-bench-'));
  const cleanup = () => rm(dataDir, { recursive: true, force: true });
  const env: Record<string, string> = {
    CARNET_DATA_DIR: dataDir,
    CARNET_DEMO: '0',
    CARNET_BASE_URL: `http://${options.host}:${options.port}`,
    LOG_LEVEL: 'warn',
  };
  if (options.databaseUrl !== undefined) {
    env.DATABASE_URL = options.databaseUrl;
    // A PostgreSQL Carnet needs its master key given (docs/operations.md); the bench database is
    // new each run, so a new key fits it.
    env.CARNET_MASTER_KEY = randomBytes(32).toString('base64');
    // And its OAuth signing keys (docs/operations.md), the set `npm run oauth:keys` would write: an
    // ES256 key alone boots, but then every client's ID-token default (RS256) fails the token request.
    env.CARNET_OAUTH_SIGNING_KEYS_FILE = path.join(dataDir, 'oauth-signing-keys.json');
    await writeFile(env.CARNET_OAUTH_SIGNING_KEYS_FILE, JSON.stringify(generateSigningJwks()), { mode: 0o600 });
  }
  try {
    const server = await startChildServer({
      name: 'Carnet',
      script: MAIN,
      env,
      dropEnv: isCarnetSetting,
      host: options.host,
      port: options.port,
      readyPath: '/readyz',
    });
    return { server, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
