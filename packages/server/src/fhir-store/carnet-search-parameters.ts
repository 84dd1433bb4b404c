import type { SearchParameter } from '@medplum/fhirtypes';

/** Where Carnet's own FHIR definitions live. */
export const CARNET_FHIR = 'https://carnet.health/fhir';

/** The extension recording who filed a document (see the contracts of issue 4). */
export const FILED_BY_EXTENSION = `${CARNET_FHIR}/StructureDefinition/filed-by`;

/**
 * Carnet's search parameters, beside the standard R4 ones. Adding one is a data change: the store
 * indexes every resource of its base types by it from the next write on (existing resources are
 * indexed when they are next written).
 */
export const CARNET_SEARCH_PARAMETERS: readonly SearchParameter[] = [
  {
    resourceType: 'SearchParameter',
    url: `${CARNET_FHIR}/SearchParameter/DocumentReference-filer`,
    name: 'filer',
    code: 'filer',
    status: 'active',
    base: ['DocumentReference'],
    type: 'token',
    expression: `DocumentReference.extension('${FILED_BY_EXTENSION}').value`,
    description:
      'Who filed the document: urn:oid:1.2.250.1.71.4.2.1|8<RPPS> for a professional, https://carnet.health/fhir/patient|<patient id> for the patient.',
  },
  {
    // PDSm's ITI-67 `creation` (IHE MHD DocumentReference-Creation), absent from core R4.
    resourceType: 'SearchParameter',
    url: `${CARNET_FHIR}/SearchParameter/DocumentReference-creation`,
    name: 'creation',
    code: 'creation',
    status: 'active',
    base: ['DocumentReference'],
    type: 'date',
    expression: 'DocumentReference.content.attachment.creation',
    description: 'When the document content was created (attachment.creation).',
  },
];
