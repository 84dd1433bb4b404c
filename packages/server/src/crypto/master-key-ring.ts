import path from 'node:path';
import type { Config } from '../config.ts';
import { MasterKeyError } from './crypto.errors.ts';
import { createMasterKeyRing, loadOrCreateMasterKeyFile, type MasterKeyRing, readMasterKeyFile } from './master-key.ts';

/** Where the embedded database (or a demo installation) keeps the master key it generated. */
export const generatedMasterKeyFile = (dataDir: string) => path.join(dataDir, 'keys', 'master.key');

/**
 * The master keys as configured: CARNET_MASTER_KEY, else CARNET_MASTER_KEY_FILE, else a key
 * generated in the data folder on first start. A generated key is for the embedded database,
 * whose files it sits beside, and for demo installations, whose data is disposable: on a shared
 * PostgreSQL it would seal the data with a key no other node has and no backup holds.
 */
export async function loadMasterKeyRing(
  config: Pick<Config, 'masterKey' | 'masterKeyFile' | 'masterKeyPrevious' | 'dataDir' | 'databaseUrl' | 'demo'>,
): Promise<MasterKeyRing> {
  return createMasterKeyRing(await currentKey(config), config.masterKeyPrevious);
}

async function currentKey(config: Parameters<typeof loadMasterKeyRing>[0]) {
  if (config.masterKey !== undefined) return config.masterKey;
  if (config.masterKeyFile !== undefined) return readMasterKeyFile(config.masterKeyFile);
  if (config.databaseUrl !== undefined && !config.demo) {
    throw new MasterKeyError(
      'CARNET_MASTER_KEY (or CARNET_MASTER_KEY_FILE) is required with DATABASE_URL: create one with ' +
        '`openssl rand -base64 32`, give the same key to every node and keep a copy apart from the database backups. ' +
        'Carnet generates a key itself only for the embedded database or with CARNET_DEMO=1.',
    );
  }
  return loadOrCreateMasterKeyFile(generatedMasterKeyFile(config.dataDir));
}
