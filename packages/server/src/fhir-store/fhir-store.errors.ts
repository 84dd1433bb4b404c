import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { CarnetError } from '../errors.ts';

/**
 * The errors of the FHIR store. Status codes, consistently: 400 a request or resource that is not
 * valid FHIR or names another patient; 404 no such resource (or not the caller's to know of);
 * 410 a deleted resource; 412 a version (If-Match) that is no longer current, or a conditional
 * create matching several resources; 409 a JSON Patch `test` that fails; 422 a JSON Patch that
 * cannot be applied to the resource as it is.
 */

/** A resource that breaks the R4 definitions: one issue per problem, each with its location. */
export class InvalidResource extends CarnetError {
  readonly issues: readonly OperationOutcomeIssue[];

  constructor(message: string, issues: readonly OperationOutcomeIssue[]) {
    const field = issues[0]?.expression?.[0];
    super('invalid_resource', 400, message, field === undefined ? {} : { field });
    this.name = 'InvalidResource';
    this.issues = issues;
  }
}

export const invalidResource = (message: string, expression: string) =>
  new InvalidResource(message, [{ severity: 'error', code: 'invalid', diagnostics: message, expression: [expression] }]);

export const resourceNotFound = (resourceType: string, id: string) =>
  new CarnetError('not_found', 404, `No ${resourceType} with id ${id}, or it is not yours to see.`);

export const resourceGone = (resourceType: string, id: string) =>
  new CarnetError('gone', 410, `${resourceType}/${id} was deleted.`);

export const versionConflict = (expected: number, current: number) =>
  new CarnetError(
    'version_conflict',
    412,
    `The resource is at version ${current}, not ${expected}: read it again and apply your change to the current version.`,
  );

export const multipleMatches = (count: number) =>
  new CarnetError(
    'multiple_matches',
    412,
    `If-None-Exist matches ${count} resources; make the condition specific enough to match at most one.`,
  );

export const invalidSearch = (message: string, param?: string) =>
  new CarnetError('invalid_search', 400, message, param === undefined ? {} : { field: param });

export const patchTestFailed = (path: string) =>
  new CarnetError('patch_test_failed', 409, `The JSON Patch test at ${path} does not hold: the resource changed; read it again.`, {
    field: path,
  });

export const patchNotApplicable = (message: string, path: string) =>
  new CarnetError('patch_not_applicable', 422, `The JSON Patch cannot be applied: ${message}.`, { field: path });
