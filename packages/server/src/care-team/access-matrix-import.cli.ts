// `npm run access-matrix:import -- <file.json>`: replaces the access matrix (which document types
// each profession may read) by the file's, in one transaction recorded in the system audit chain.
// An invalid file changes nothing. Other nodes follow within a minute (ACCESS_MATRIX_TTL_MS).
// With the embedded database, stop Carnet first: one process at a time opens its data folder.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.ts';
import { connectDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AccessMatrixFileError, parseAccessMatrixFile } from './access-matrix.file.ts';
import { replaceAccessMatrix } from './access-matrix.store.ts';

const file = process.argv[2];
if (file === undefined || process.argv.length > 3) {
  process.stderr.write('Usage: npm run access-matrix:import -- <matrix.json>\n');
  process.exitCode = 2;
} else {
  try {
    const definition = parseAccessMatrixFile(await readFile(file, 'utf8'));
    const config = loadConfig(process.env);
    const connection = await connectDatabase(config);
    try {
      await migrateToLatest(connection.db);
      await replaceAccessMatrix(connection.db, definition, { file: path.basename(file) });
    } finally {
      await connection.close();
    }
    const enabled = definition.professions.filter((p) => p.enabled).length;
    process.stdout.write(
      `Access matrix "${definition.id}" is in force: ${definition.professions.length} professions ` +
        `(${enabled} enabled), ${definition.technicalTypeCodes.length} technical document types.\n`,
    );
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof AccessMatrixFileError;
    const message =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? `No such file: ${file}` : known ? (error as Error).message : String(error);
    process.stderr.write(`Could not import the access matrix: ${message}\n`);
    process.exitCode = 1;
  }
}
