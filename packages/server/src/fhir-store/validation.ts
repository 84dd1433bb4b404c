import { crawlTypedValue, OperationOutcomeError, toTypedValue, validateResource } from '@medplum/core';
import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { invalidResource, InvalidResource } from './fhir-store.errors.ts';
import { isStoredType, loadFhirDefinitions, requiredCodes, STORED_RESOURCE_TYPES } from './definitions.ts';
import { parseReference } from './search-index.ts';

/** Resources larger than this (as JSON) are refused; files go to the blob store, not here. */
export const MAX_RESOURCE_BYTES = 1024 * 1024;

/**
 * Checks a resource before it is stored in a patient's space: a type the store keeps, valid
 * against the R4 StructureDefinitions (each problem located by its FHIRPath expression), and no
 * reference to another patient (security checklist C3: a write carrying another patient's id is
 * refused, never stored as given).
 */
export function validateForStorage(resource: unknown, patientId: string): asserts resource is Resource {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    throw invalidResource('The body must be a FHIR resource (a JSON object).', '$this');
  }
  const { resourceType } = resource as { resourceType?: unknown };
  if (typeof resourceType !== 'string' || !isStoredType(resourceType)) {
    throw invalidResource(
      `resourceType must be one of ${STORED_RESOURCE_TYPES.join(', ')}.`,
      'resourceType',
    );
  }
  if (Buffer.byteLength(JSON.stringify(resource)) > MAX_RESOURCE_BYTES) {
    throw invalidResource(`The resource is larger than ${MAX_RESOURCE_BYTES} bytes.`, resourceType);
  }
  loadFhirDefinitions();
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(resource as Resource);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    issues = error.outcome.issue ?? [];
  }
  const errors = [
    ...issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal'),
    ...unknownRequiredCodes(resource as Resource),
  ];
  if (errors.length > 0) {
    throw new InvalidResource(
      `The ${resourceType} is not valid FHIR R4: ${errors.map(describeIssue).join('; ')}.`,
      errors.map((issue) => ({ ...issue, diagnostics: issue.diagnostics ?? issue.details?.text })),
    );
  }
  const foreign = foreignPatientReference(resource, resourceType, patientId);
  if (foreign !== undefined) {
    throw invalidResource(`This ${resourceType} names another patient than the one whose space it is written to.`, foreign);
  }
}

/** `code` values outside the value set their element is bound to with strength required. */
function unknownRequiredCodes(resource: Resource): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  crawlTypedValue(
    toTypedValue(resource),
    {
      visitProperty(_parent, key, path, values, schema) {
        const element = schema.elements[key];
        const valueSet = element?.binding?.strength === 'required' ? element.binding.valueSet : undefined;
        const codes = valueSet === undefined ? undefined : requiredCodes(valueSet);
        if (codes === undefined) return;
        for (const value of values.flat()) {
          if (value.type === 'code' && typeof value.value === 'string' && !codes.has(value.value)) {
            const text = `Unknown code ${JSON.stringify(value.value)}; it must be one of ${[...codes].join(', ')}`;
            issues.push({ severity: 'error', code: 'code-invalid', details: { text }, diagnostics: text, expression: [value.path ?? path] });
          }
        }
      },
    },
    { skipMissingProperties: true },
  );
  return issues;
}

const describeIssue = (issue: OperationOutcomeIssue) =>
  `${issue.details?.text ?? issue.diagnostics ?? 'invalid'}${issue.expression?.[0] === undefined ? '' : ` at ${issue.expression[0]}`}`;

/** The location of the first reference to a Patient other than `patientId`, if any. */
function foreignPatientReference(value: unknown, location: string, patientId: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = foreignPatientReference(value[i], `${location}[${i}]`, patientId);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'reference' && typeof child === 'string') {
      const target = parseReference(child);
      if (target?.targetType === 'Patient' && target.targetId.toLowerCase() !== patientId.toLowerCase()) return location;
    } else {
      const found = foreignPatientReference(child, `${location}.${key}`, patientId);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
