import { userInfo } from 'node:os';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/database.ts';
import { type AccessMatrix, type MatrixRow, matrixRowOf } from '../policy/access-matrix.ts';
import type { AccessMatrixDefinition } from './access-matrix.file.ts';

type Db = Kysely<Database>;

/** The matrix in force, with each profession's rights evaluated once. */
export interface LoadedAccessMatrix {
  sourceId: string;
  title: string;
  importedAt: Date;
  matrix: AccessMatrix;
  rowOf(professionCode: string): MatrixRow | null;
}

/**
 * How long a node keeps the matrix before reading it again. It changes rarely (an operator's
 * import) and is read on every professional's request: the node that imports forgets its copy at
 * once, the others follow within this time.
 */
export const ACCESS_MATRIX_TTL_MS = 30_000;

interface CacheEntry {
  loadedAt: number;
  value: Promise<LoadedAccessMatrix>;
}

// Per database handle, not per process: each app (and each test's app) has its own.
const caches = new WeakMap<Db, CacheEntry>();

/** The matrix in force, from the node's cache (read again after `ACCESS_MATRIX_TTL_MS`). */
export function currentAccessMatrix(db: Db): Promise<LoadedAccessMatrix> {
  const cached = caches.get(db);
  if (cached !== undefined && performance.now() - cached.loadedAt < ACCESS_MATRIX_TTL_MS) return cached.value;
  const entry: CacheEntry = { loadedAt: performance.now(), value: readAccessMatrix(db) };
  caches.set(db, entry);
  // A failed read is not kept: the next request tries again.
  entry.value.catch(() => {
    if (caches.get(db) === entry) caches.delete(db);
  });
  return entry.value;
}

/** Drops the node's copy: the next decision reads the matrix from the database. */
export function forgetAccessMatrix(db: Db): void {
  caches.delete(db);
}

/** The matrix in force, read from the database. */
export async function readAccessMatrix(db: Db): Promise<LoadedAccessMatrix> {
  const [head, rows] = await Promise.all([
    db.selectFrom('access_matrix').select(['source_id', 'title', 'technical_type_codes', 'imported_at']).executeTakeFirst(),
    db.selectFrom('access_matrix_profession').selectAll().orderBy('profession_code').execute(),
  ]);
  // Without a matrix no profession reads anything: refused, never guessed.
  const matrix: AccessMatrix = {
    technicalTypeCodes: new Set(head?.technical_type_codes ?? []),
    professions: new Map(
      rows.map((r) => [
        r.profession_code,
        {
          professionCode: r.profession_code,
          display: r.display,
          default: r.default_access,
          exceptions: new Set(r.exception_type_codes),
          enabled: r.enabled,
        },
      ]),
    ),
  };
  const memo = new Map<string, MatrixRow | null>();
  return {
    sourceId: head?.source_id ?? '(none)',
    title: head?.title ?? '(no access matrix: professionals read nothing but their own documents)',
    importedAt: head === undefined ? new Date(0) : new Date(head.imported_at),
    matrix,
    rowOf(professionCode) {
      if (!memo.has(professionCode)) memo.set(professionCode, matrixRowOf(matrix, professionCode));
      return memo.get(professionCode)!;
    },
  };
}

/**
 * Replaces the whole matrix by `definition`, in one transaction with its entry in the system
 * audit chain: the old matrix stays in force until the new one is complete.
 */
export async function replaceAccessMatrix(db: Db, definition: AccessMatrixDefinition, source: { file: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('access_matrix_profession').execute();
    await trx
      .insertInto('access_matrix_profession')
      .values(
        definition.professions.map((p) => ({
          profession_code: p.code,
          profession_system: p.system,
          display: p.display,
          default_access: p.default,
          enabled: p.enabled,
          exception_type_codes: p.exceptions,
        })),
      )
      .execute();
    await trx.deleteFrom('access_matrix').execute();
    await trx
      .insertInto('access_matrix')
      .values({
        source_id: definition.id,
        title: definition.title,
        technical_type_codes: definition.technicalTypeCodes,
        imported_at: new Date(),
      })
      .execute();
    await recordAudit(trx, {
      patientId: null,
      actorType: 'operator',
      // The command runs on a server, outside any login: the system account that ran it.
      actorId: `cli:${cliUser()}`,
      action: 'access-matrix.import',
      resourceType: 'AccessMatrix',
      resourceId: `${definition.id} (${source.file})`.slice(0, 500),
      outcome: 'permit',
      reason: 'operator-import',
    });
  });
  forgetAccessMatrix(db);
}

function cliUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
