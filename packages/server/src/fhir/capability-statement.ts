/**
 * What this FHIR server implements, and nothing more (FHIR R4 §2.12 CapabilityStatement): each
 * feature that adds a resource type or interaction adds it here, with its own tests.
 */
export function capabilityStatement(fhirBase: string, version: string, date: Date) {
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
    rest: [{ mode: 'server', resource: [] }],
  };
}
