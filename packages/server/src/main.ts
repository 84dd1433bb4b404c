import { AuditKeyError } from './audit/audit.errors.ts';
import { ConfigError, loadConfig } from './config.ts';
import { MasterKeyError, MasterKeyUnavailable } from './crypto/crypto.errors.ts';
import { OAuthKeyError } from './oauth/oauth.errors.ts';
import { startCarnet } from './server.ts';

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\nSee the configuration table in README.md.\n`);
  process.exit(78); // EX_CONFIG
}

let carnet;
try {
  carnet = await startCarnet(config);
} catch (error) {
  // Keys that are missing, wrong or unreadable are configuration for the operator to fix: their
  // messages say what to do and never hold key material.
  if (
    !(error instanceof MasterKeyError || error instanceof MasterKeyUnavailable || error instanceof AuditKeyError || error instanceof OAuthKeyError)
  ) {
    throw error;
  }
  process.stderr.write(`${error.message}\nSee docs/operations.md.\n`);
  process.exit(78); // EX_CONFIG
}
carnet.app.log.info(
  { url: config.baseUrl, database: carnet.deps.databaseKind, node: process.version },
  'Carnet is running',
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    carnet.app.log.info({ signal }, 'stopping: finishing requests in flight');
    carnet.stop().then(
      () => {
        carnet.app.log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        carnet.app.log.error({ err: error }, 'stopped with an error');
        process.exit(1);
      },
    );
  });
}
