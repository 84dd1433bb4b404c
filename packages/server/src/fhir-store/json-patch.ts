import { applyPatch, deepClone, type Operation, TestError } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { badRequest } from '../errors.ts';
import { patchNotApplicable, patchTestFailed } from './fhir-store.errors.ts';

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
const MAX_OPERATIONS = 1000;
/** The server owns these: a patch may not move a resource to another type or id. */
const FIXED = /^\/(?:resourceType|id)(?:\/|$)/;

/**
 * The resource after a JSON Patch (RFC 6902), all operations or none: a copy is patched, so a
 * failing operation leaves the stored resource as it was. The result is validated by the caller,
 * like any update.
 */
export function applyJsonPatch<T extends Resource>(resource: T, patch: unknown): T {
  const operations = parsePatch(patch);
  const patched = deepClone(resource);
  const results = applyPatch(patched, operations);
  results.forEach((result, index) => {
    if (result === null) return;
    const path = operations[index]!.path;
    if (result instanceof TestError) throw patchTestFailed(path);
    throw patchNotApplicable(result.message, path);
  });
  return patched;
}

function parsePatch(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) throw badRequest('A JSON Patch is an array of operations (RFC 6902 §3).');
  if (patch.length > MAX_OPERATIONS) throw badRequest(`A JSON Patch may hold at most ${MAX_OPERATIONS} operations.`);
  return patch.map((operation: unknown, index) => {
    const at = `[${index}]`;
    if (typeof operation !== 'object' || operation === null) throw badRequest(`Operation ${at} is not an object.`, at);
    const { op, path, from } = operation as { op?: unknown; path?: unknown; from?: unknown };
    if (typeof op !== 'string' || !OPS.has(op)) throw badRequest(`Operation ${at}: op must be one of ${[...OPS].join(', ')}.`, `${at}.op`);
    if (typeof path !== 'string' || !(path === '' || path.startsWith('/'))) {
      throw badRequest(`Operation ${at}: path must be a JSON Pointer (RFC 6901).`, `${at}.path`);
    }
    if ((op === 'move' || op === 'copy') && (typeof from !== 'string' || !(from === '' || from.startsWith('/')))) {
      throw badRequest(`Operation ${at}: ${op} needs from, a JSON Pointer.`, `${at}.from`);
    }
    if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in operation)) {
      throw badRequest(`Operation ${at}: ${op} needs a value.`, `${at}.value`);
    }
    if (op !== 'test' && (path === '' || FIXED.test(path) || (op === 'move' && typeof from === 'string' && FIXED.test(from)))) {
      throw badRequest(`Operation ${at}: a patch cannot change the resource's type or id.`, `${at}.path`);
    }
    return operation as Operation;
  });
}
