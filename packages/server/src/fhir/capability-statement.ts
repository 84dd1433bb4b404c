import type { FhirResourceCapability } from './fhir-resource.ts';

/**
 * What this FHIR server implements, and nothing more (FHIR R4 §2.12 CapabilityStatement): the
 * resource types come from the modules registered under /fhir/R4, and Bundles posted to the base
 * are listed only when something serves them.
 */
export function capabilityStatement(
  fhirBase: string,
  version: string,
  date: Date,
  resources: readonly FhirResourceCapability[],
  bundles: { transaction: boolean; batch: boolean } = { transaction: false, batch: false },
) {
  const interaction = [...(bundles.transaction ? [{ code: 'transaction' }] : []), ...(bundles.batch ? [{ code: 'batch' }] : [])];
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
    patchFormat: resources.some((r) => r.interaction.some((i) => i.code === 'patch')) ? ['application/json-patch+json'] : undefined,
    rest: [{ mode: 'server', resource: resources, ...(interaction.length > 0 ? { interaction } : {}) }],
  };
}
