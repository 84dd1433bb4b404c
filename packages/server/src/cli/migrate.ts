// `npm run migrate`: applies pending migrations to the configured database and exits.
import { ConfigError, loadConfig } from '../config.ts';
import { connectDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';

try {
  const config = loadConfig(process.env);
  const connection = await connectDatabase(config);
  try {
    const { applied } = await migrateToLatest(connection.db);
    process.stdout.write(
      applied.length === 0 ? 'The database is up to date.\n' : `Applied: ${applied.join(', ')}\n`,
    );
  } finally {
    await connection.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
