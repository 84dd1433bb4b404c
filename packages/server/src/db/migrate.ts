import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';

// Migrations are frozen in time: they run against whatever schema the database has, never the
// application's current table types (Kysely's migration guide).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDatabase = Kysely<any>;

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../migrations');

/**
 * Migrations are numbered, frozen `.sql` files: plain SQL that runs unchanged on PostgreSQL 15
 * and on PGlite, reviewed as SQL. Each file runs as one simple-protocol query, so a file may hold
 * several statements.
 */
class SqlFileMigrationProvider implements MigrationProvider {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.#dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await readFile(path.join(this.#dir, file), 'utf8');
      migrations[file.replace(/\.sql$/, '')] = {
        up: async (db) => {
          await sql.raw(text).execute(db);
        },
      };
    }
    return migrations;
  }
}

export function createMigrator(db: AnyDatabase, dir = MIGRATIONS_DIR): Migrator {
  return new Migrator({
    db,
    provider: new SqlFileMigrationProvider(dir),
    migrationTableName: 'carnet_migration',
    migrationLockTableName: 'carnet_migration_lock',
  });
}

export interface MigrationRun {
  applied: string[];
  /** True when the database had no migration before this run: a brand-new database. */
  wasEmpty: boolean;
}

/** Applies the pending migrations under PostgreSQL's advisory lock (safe with several nodes). */
export async function migrateToLatest(db: AnyDatabase, dir = MIGRATIONS_DIR): Promise<MigrationRun> {
  const migrator = createMigrator(db, dir);
  const before = await migrator.getMigrations();
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed; nothing of it was applied.`, {
      cause: error,
    });
  }
  return {
    applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName),
    wasEmpty: before.every((m) => m.executedAt === undefined),
  };
}

export async function pendingMigrations(db: AnyDatabase, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await createMigrator(db, dir).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
