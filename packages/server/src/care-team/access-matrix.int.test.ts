import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.ts';
import { listAuditEntries } from '../audit/audit.service.ts';
import { loadConfig } from '../config.ts';
import { connectDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AccessMatrixFileError, DEFAULT_ACCESS_MATRIX_FILE, parseAccessMatrixFile } from './access-matrix.file.ts';
import { currentAccessMatrix, readAccessMatrix, replaceAccessMatrix } from './access-matrix.store.ts';

const defaultText = await readFile(DEFAULT_ACCESS_MATRIX_FILE, 'utf8');
const defaultFile = () => JSON.parse(defaultText) as { id: string; professions: Record<string, unknown>[] } & Record<string, unknown>;

/** The matrix in force, as plain data to compare. */
const snapshot = (loaded: Awaited<ReturnType<typeof readAccessMatrix>>) => ({
  sourceId: loaded.sourceId,
  technical: [...loaded.matrix.technicalTypeCodes].sort(),
  professions: [...loaded.matrix.professions.values()].map((p) => ({ ...p, exceptions: [...p.exceptions].sort() })),
});

describe('the access matrix', () => {
  const database = createTestDatabase();
  let connection: Awaited<ReturnType<typeof connectDatabase>>;
  beforeAll(async () => {
    connection = await connectDatabase(loadConfig((await database).env));
    await migrateToLatest(connection.db);
  });
  afterAll(async () => {
    await connection.close();
    await (await database).drop();
  });

  it('is seeded with the proposed default, the non-health professionals’ row disabled', async () => {
    const seeded = await readAccessMatrix(connection.db);
    const expected = parseAccessMatrixFile(defaultText);
    expect(seeded.sourceId).toBe('Carnet_DefaultAccessMatrix_Proposed');
    expect(snapshot(seeded).technical).toEqual(expected.technicalTypeCodes);
    for (const profession of expected.professions) {
      const row = seeded.matrix.professions.get(profession.code);
      expect({ default: row?.default, enabled: row?.enabled, exceptions: [...(row?.exceptions ?? [])].sort() }, profession.code).toEqual({
        default: profession.default,
        enabled: profession.code !== 'NON_PS',
        exceptions: profession.exceptions,
      });
    }
    expect(seeded.matrix.professions.size).toBe(expected.professions.length);
    // The published rules of the default: nurses not psychiatric syntheses, médecins everything but
    // the residence certificate.
    expect(seeded.rowOf('60')!.allowedTypeCodes.has('68599-0')).toBe(false);
    expect(seeded.rowOf('10')!.allowedTypeCodes.has('68599-0')).toBe(true);
    expect(seeded.rowOf('10')!.allowedTypeCodes.has('ATTEST-RESID')).toBe(false);
    expect(seeded.rowOf('NON_PS')).toBeNull();
  });

  it('is replaced whole by an operator’s file, in force at once on this node, and the import is in the system audit chain', async () => {
    const file = defaultFile();
    const nurse = file.professions.find((p) => p.code === '60')!;
    nurse.exceptions = [...(nurse.exceptions as string[]), '11488-4'];
    file.id = 'Operator_Matrix_2026';
    const before = await currentAccessMatrix(connection.db);
    expect(before.rowOf('60')!.allowedTypeCodes.has('11488-4')).toBe(true);

    await replaceAccessMatrix(connection.db, parseAccessMatrixFile(JSON.stringify(file)), { file: 'operator.json' });

    const after = await currentAccessMatrix(connection.db);
    expect(after.sourceId).toBe('Operator_Matrix_2026');
    expect(after.rowOf('60')!.allowedTypeCodes.has('11488-4')).toBe(false);
    const [entry] = await listAuditEntries(connection.db, null, { limit: 1 });
    expect(entry).toMatchObject({
      actorType: 'operator',
      action: 'access-matrix.import',
      resourceType: 'AccessMatrix',
      resourceId: 'Operator_Matrix_2026 (operator.json)',
      outcome: 'permit',
    });
  });

  it('refuses a file with a misspelt type, an unknown group or a bad default, naming each problem', () => {
    const file = defaultFile();
    file.professions[0]!.exceptions = ['ATTEST-RESID', '11488-X'];
    file.professions[1]!.exceptionGroups = ['NO_SUCH_GROUP'];
    file.professions[2]!.default = 'maybe';
    file.professions[3]!.code = file.professions[4]!.code;
    let error: unknown;
    try {
      parseAccessMatrixFile(JSON.stringify(file));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AccessMatrixFileError);
    const problems = (error as AccessMatrixFileError).problems.join('\n');
    expect(problems).toContain('11488-X');
    expect(problems).toContain('"NO_SUCH_GROUP"');
    expect(problems).toContain('.default must be "allow" or "deny"');
    expect(problems).toContain('appears twice');
    expect(() => parseAccessMatrixFile('{"professions": [')).toThrow(/not JSON/);
    expect(() => parseAccessMatrixFile('{"id": "x", "professions": []}')).toThrow(/non-empty array/);
  });
});

describe('npm run access-matrix:import', () => {
  const CLI = path.resolve(import.meta.dirname, 'access-matrix-import.cli.ts');
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'carnet-matrix-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function run(env: Record<string, string>, file: string) {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [CLI, file], { env: { PATH: process.env.PATH, ...env } });
      return { code: 0, output: stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, output: failed.stdout + failed.stderr };
    }
  }

  it('replaces the matrix from a valid file, and changes nothing for an invalid one', async () => {
    const database = await createTestDatabase();
    try {
      const valid = defaultFile();
      valid.id = 'From_The_Command';
      valid.professions = valid.professions.filter((p) => p.code !== '26');
      await writeFile(path.join(dir, 'valid.json'), JSON.stringify(valid));
      const invalid = defaultFile();
      invalid.id = 'Broken';
      invalid.professions[0]!.exceptions = ['NOT-A-TYPE'];
      await writeFile(path.join(dir, 'invalid.json'), JSON.stringify(invalid));

      const ok = await run(database.env, path.join(dir, 'valid.json'));
      expect(ok).toEqual({ code: 0, output: expect.stringContaining('Access matrix "From_The_Command" is in force') });
      const refused = await run(database.env, path.join(dir, 'invalid.json'));
      expect(refused.code).toBe(1);
      expect(refused.output).toContain('nothing was changed');
      expect(refused.output).toContain('NOT-A-TYPE');
      const missing = await run(database.env, path.join(dir, 'missing.json'));
      expect(missing).toMatchObject({ code: 1, output: expect.stringContaining('No such file') });

      const connection = await connectDatabase(loadConfig(database.env));
      try {
        const inForce = await readAccessMatrix(connection.db);
        expect(inForce.sourceId).toBe('From_The_Command');
        expect(inForce.matrix.professions.has('26')).toBe(false);
        expect(inForce.matrix.professions.size).toBe(valid.professions.length);
      } finally {
        await connection.close();
      }
    } finally {
      await database.drop();
    }
  });
});
