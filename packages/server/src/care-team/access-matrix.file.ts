import { documentTypeOf } from '../codes/document-types.ts';
import type { AccessMatrix } from '../policy/access-matrix.ts';

/**
 * The access matrix file operators import (`npm run access-matrix:import -- <file.json>`): the
 * format of shared/domain/codes/access-matrix-default-proposed.json. What Carnet reads of it:
 *
 * - `id` (required) and `title`;
 * - `technicalAlwaysAllowed`: typeCodes every profession may read;
 * - `professions[]`: `code`, `system`, `display`, `default` ("allow" or "deny"), `exceptions`
 *   (typeCodes) and/or `exceptionGroups` (names of `groups`, `domainAllowLists` or `nonPsScope`
 *   entries, whose `typeCodes` are added to the exceptions), and optionally `enabled` (default
 *   true, except for the NON_PS row, which stays disabled unless the file enables it).
 *
 * Everything else (reasoning, basis, summaries) is documentation and is ignored. Every typeCode must
 * be a JDV_J07 code: a misspelt exception of an "allow" row would silently let a profession read
 * what it should not.
 */
export interface AccessMatrixDefinition {
  id: string;
  title: string;
  technicalTypeCodes: string[];
  professions: MatrixProfessionDefinition[];
}

export interface MatrixProfessionDefinition {
  code: string;
  system: string;
  display: string;
  default: 'allow' | 'deny';
  enabled: boolean;
  exceptions: string[];
}

/** The non-health professionals' row: legally unsettled (Conseil d'État, 15 Oct. 2025), off by default. */
export const NON_PS_PROFESSION = 'NON_PS';

export class AccessMatrixFileError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`The access matrix file is not valid; nothing was changed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AccessMatrixFileError';
    this.problems = problems;
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const MAX_REPORTED = 20;

/** Reads and checks a matrix file, reporting every problem at once. */
export function parseAccessMatrixFile(text: string): AccessMatrixDefinition {
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch (error) {
    throw new AccessMatrixFileError([`it is not JSON (${(error as Error).message})`]);
  }
  if (!isObject(file)) throw new AccessMatrixFileError(['it must be a JSON object with "id" and "professions"']);
  const problems: string[] = [];
  const unknownCodes = new Set<string>();
  const typeCodes = (value: unknown, where: string): string[] => {
    if (!isStringArray(value)) {
      problems.push(`${where} must be an array of typeCodes`);
      return [];
    }
    for (const code of value) if (documentTypeOf(code) === undefined) unknownCodes.add(code);
    return value;
  };

  const id = typeof file.id === 'string' && file.id.trim() !== '' ? file.id.trim() : undefined;
  if (id === undefined) problems.push('"id" must be a non-empty string naming this matrix');
  const title = typeof file.title === 'string' && file.title.trim() !== '' ? file.title.trim() : (id ?? '');
  const technicalTypeCodes = file.technicalAlwaysAllowed === undefined ? [] : typeCodes(file.technicalAlwaysAllowed, '"technicalAlwaysAllowed"');

  const groups = new Map<string, string[]>();
  for (const section of ['groups', 'domainAllowLists', 'nonPsScope'] as const) {
    const entries = file[section];
    if (entries === undefined) continue;
    if (!isObject(entries)) {
      problems.push(`"${section}" must be an object of named groups`);
      continue;
    }
    for (const [name, group] of Object.entries(entries)) {
      if (!isObject(group)) problems.push(`${section}.${name} must be an object with "typeCodes"`);
      else groups.set(name, typeCodes(group.typeCodes, `${section}.${name}.typeCodes`));
    }
  }

  const professions: MatrixProfessionDefinition[] = [];
  if (!Array.isArray(file.professions) || file.professions.length === 0) {
    problems.push('"professions" must be a non-empty array');
  } else {
    const seen = new Set<string>();
    file.professions.forEach((entry: unknown, i) => {
      const at = `professions[${i}]`;
      if (!isObject(entry)) {
        problems.push(`${at} must be an object`);
        return;
      }
      const code = typeof entry.code === 'string' && entry.code.trim() !== '' ? entry.code.trim() : undefined;
      if (code === undefined) problems.push(`${at}.code must be a non-empty string (a TRE_G15 profession code)`);
      else if (seen.has(code)) problems.push(`${at}.code ${code} appears twice`);
      else seen.add(code);
      const label = code === undefined ? at : `${at} (${code})`;
      if (typeof entry.system !== 'string' || entry.system === '') problems.push(`${label}.system must be a non-empty string`);
      if (typeof entry.display !== 'string' || entry.display === '') problems.push(`${label}.display must be a non-empty string`);
      if (entry.default !== 'allow' && entry.default !== 'deny') problems.push(`${label}.default must be "allow" or "deny"`);
      if (entry.enabled !== undefined && typeof entry.enabled !== 'boolean') problems.push(`${label}.enabled must be true or false`);
      if (entry.exceptions === undefined && entry.exceptionGroups === undefined) {
        problems.push(`${label} needs "exceptions" or "exceptionGroups" (an empty array for none)`);
      }
      const exceptions = new Set(entry.exceptions === undefined ? [] : typeCodes(entry.exceptions, `${label}.exceptions`));
      if (entry.exceptionGroups !== undefined) {
        if (!isStringArray(entry.exceptionGroups)) problems.push(`${label}.exceptionGroups must be an array of group names`);
        else
          for (const name of entry.exceptionGroups) {
            const group = groups.get(name);
            if (group === undefined) problems.push(`${label}.exceptionGroups names "${name}", which no group defines`);
            else for (const typeCode of group) exceptions.add(typeCode);
          }
      }
      professions.push({
        code: code ?? '',
        system: String(entry.system),
        display: String(entry.display),
        default: entry.default === 'allow' ? 'allow' : 'deny',
        enabled: typeof entry.enabled === 'boolean' ? entry.enabled : code !== NON_PS_PROFESSION,
        exceptions: [...exceptions].sort(),
      });
    });
  }
  if (unknownCodes.size > 0) {
    const codes = [...unknownCodes].sort();
    const shown = codes.slice(0, MAX_REPORTED).join(', ');
    problems.push(
      `${codes.length} typeCode(s) are not JDV_J07 document types: ${shown}${codes.length > MAX_REPORTED ? ', …' : ''}`,
    );
  }
  if (problems.length > 0) throw new AccessMatrixFileError(problems);
  return { id: id!, title, technicalTypeCodes: [...new Set(technicalTypeCodes)].sort(), professions };
}

/** The matrix a definition describes, as the policy evaluates it. */
export function accessMatrixOf(definition: AccessMatrixDefinition): AccessMatrix {
  return {
    technicalTypeCodes: new Set(definition.technicalTypeCodes),
    professions: new Map(
      definition.professions.map((p) => [
        p.code,
        { professionCode: p.code, display: p.display, default: p.default, exceptions: new Set(p.exceptions), enabled: p.enabled },
      ]),
    ),
  };
}

/** The proposed default matrix shipped with Carnet (src/codes/data), as migration 0010 seeds it. */
export const DEFAULT_ACCESS_MATRIX_FILE = new URL('../codes/data/access-matrix-default-proposed.json', import.meta.url);
