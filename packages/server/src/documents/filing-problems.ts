import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { CarnetError } from '../errors.ts';
import { InvalidResource } from '../fhir-store/fhir-store.errors.ts';

/**
 * One thing wrong with a submission, where it is (a FHIRPath-like location such as
 * `Bundle.entry[2].resource.content[0].attachment.hash`) and what to do about it. Messages name
 * fields and rules, never the values sent: they reach logs and other people's screens.
 */
export interface Problem {
  location: string;
  message: string;
  /** FHIR issue type (OperationOutcome.issue.code): invalid, required, value, code-invalid, not-found… */
  code: ProblemCode;
}

export type ProblemCode = 'invalid' | 'structure' | 'required' | 'value' | 'code-invalid' | 'not-found' | 'not-supported' | 'conflict' | 'too-long';

/** Gathers every problem of an input before answering, so that a sender fixes them in one round. */
export class Problems {
  readonly list: Problem[] = [];

  add(location: string, message: string, code: ProblemCode = 'invalid'): void {
    this.list.push({ location, message, code });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Throws `SubmissionRefused` (or `SubmissionConflict` for a conflict) when anything was found. */
  throwIfAny(): void {
    if (!this.empty) throw refusalOf(this.list);
  }
}

/**
 * A whole submission refused, with every problem found, each with its location (FHIR R4 http
 * §3.1.0.11.2: "the server SHALL reject the entire transaction"); nothing of it was stored. A 400,
 * as MHD allows for a Provide Document Bundle that breaks the profile: an InvalidResource, which the
 * FHIR routes answer with one OperationOutcome issue per problem.
 */
export class SubmissionRefused extends InvalidResource {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(
      problems.length === 1
        ? `The submission was refused, nothing was stored: ${problems[0]!.message}`
        : `The submission was refused, nothing was stored: ${problems.length} problems, each listed with its location.`,
      operationOutcomeOf(problems).issue,
    );
    this.name = 'SubmissionRefused';
    this.problems = problems;
  }
}

/**
 * A submission that conflicts with what the space holds (a uniqueId already used for another
 * content, a replaced document replaced meanwhile): 409, for the sender to resolve.
 */
export class SubmissionConflict extends CarnetError {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super('conflict', 409, `The submission was refused, nothing was stored: ${problems[0]!.message}`, { field: problems[0]!.location });
    this.name = 'SubmissionConflict';
    this.problems = problems;
  }
}

/** A conflict when any problem is one (the sender must change the submission's identity); else a refusal. */
export const refusalOf = (problems: readonly Problem[]) =>
  problems.some((p) => p.code === 'conflict') ? new SubmissionConflict(problems.filter((p) => p.code === 'conflict')) : new SubmissionRefused(problems);

/** The OperationOutcome listing every problem (FHIR R4 OperationOutcome.issue.expression). */
export function operationOutcomeOf(problems: readonly Problem[]): { resourceType: 'OperationOutcome'; issue: OperationOutcomeIssue[] } {
  return {
    resourceType: 'OperationOutcome',
    issue: problems.map((p) => ({ severity: 'error', code: p.code, diagnostics: p.message, expression: [p.location] })),
  };
}
