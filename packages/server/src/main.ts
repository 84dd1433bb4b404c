import { ConfigError, loadConfig } from './config.ts';
import { startCarnet } from './server.ts';

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\nSee the configuration table in README.md.\n`);
  process.exit(78); // EX_CONFIG
}

const carnet = await startCarnet(config);
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
