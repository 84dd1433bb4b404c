// `npm run demo`: (re)seeds the demo population into the configured database. Other rows stay.
import { ConfigError, loadConfig } from '../config.ts';
import { connectDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { seedDemo } from '../demo/demo.seed.ts';

try {
  const config = loadConfig(process.env);
  const connection = await connectDatabase(config);
  try {
    await migrateToLatest(connection.db);
    const seeded = await seedDemo(connection.db);
    process.stdout.write(
      `Demo data written: ${seeded.patients} patients, ${seeded.professionals} professionals, ` +
        `${seeded.organizations} organisation(s). See README.md for the demo accounts.\n`,
    );
  } finally {
    await connection.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
