import type { FhirResourceCapability } from './fhir-resource.ts';

/**
 * What this FHIR server implements, and nothing more (FHIR R4 §2.12 CapabilityStatement): the
 * resource types come from the modules registered under /fhir/R4.
 */
export function capabilityStatement(fhirBase: string, version: string, date: Date, resources: readonly FhirResourceCapability[]) {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: date.toISOString(),
    publisher: 'Carnet',
    kind: 'instance',
    software: { name: 'Carnet', version },
    implementation: { description: 'Carnet personal health space', url: fhirBase },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [{ mode: 'server', resource: resources }],
  };
}
