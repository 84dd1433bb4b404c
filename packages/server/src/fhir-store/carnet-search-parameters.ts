import type { SearchParameter } from '@medplum/fhirtypes';

/** Where Carnet's own FHIR definitions live. */
export const CARNET_FHIR = 'https://carnet.health/fhir';

/** The extension recording who filed a document or a submission set (see the contracts of issue 4). */
export const FILED_BY_EXTENSION = `${CARNET_FHIR}/StructureDefinition/filed-by`;

/** PDSm_isArchived (IG PDSm), on DocumentReference and List. */
export const IS_ARCHIVED_EXTENSION = 'http://esante.gouv.fr/cisis/fhir/StructureDefinition/PDSm_isArchived';

/**
 * Carnet's search parameters, beside the standard R4 ones. Adding one is a data change: the store
 * indexes every resource of its base types by it from the next write on (existing resources are
 * indexed when they are next written).
 */
export const CARNET_SEARCH_PARAMETERS: readonly SearchParameter[] = [
  {
    resourceType: 'SearchParameter',
    url: `${CARNET_FHIR}/SearchParameter/filer`,
    name: 'filer',
    code: 'filer',
    status: 'active',
    base: ['DocumentReference', 'List'],
    type: 'token',
    expression: `DocumentReference.extension('${FILED_BY_EXTENSION}').value | List.extension('${FILED_BY_EXTENSION}').value`,
    description:
      'Who filed the document or submission set: urn:oid:1.2.250.1.71.4.2.1|8<RPPS> for a professional, https://carnet.health/fhir/patient|<patient id> for the patient.',
  },
  {
    // PDSm's ITI-67 `isArchived` (TD3.3d archiving).
    resourceType: 'SearchParameter',
    url: `${CARNET_FHIR}/SearchParameter/DocumentReference-isArchived`,
    name: 'isArchived',
    code: 'isArchived',
    status: 'active',
    base: ['DocumentReference'],
    type: 'token',
    expression: `DocumentReference.extension('${IS_ARCHIVED_EXTENSION}').value`,
    description: 'true for an archived document; a document never archived has no value (search isArchived:not=true).',
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
