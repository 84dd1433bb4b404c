import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { badRequest } from '../errors.ts';
import { searchsetBundle, searchUrl } from '../fhir/bundle.ts';
import type { FhirResourceModule } from '../fhir/fhir-resource.ts';
import { noSuchRecord } from '../policy/authorize.ts';
import { accessContext, PATIENT_ID } from './patient-route.ts';
import { patientResource } from './patient.views.ts';
import { findPatientByIns, readPatient } from './patients.service.ts';

const CARNET_ID = new RegExp(`^${PATIENT_ID}$`);
/** FHIR R4 id datatype. */
const FHIR_ID = '^[A-Za-z0-9\\-.]{1,64}$';

/**
 * Patient under /fhir/R4: read, and search by INS (`identifier=urn:oid:<INS OID>|<matricule>`), as
 * a professional's software finds the patient before filing a document.
 */
export const patientFhir: FhirResourceModule = {
  capability: {
    type: 'Patient',
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: [{ name: 'identifier', type: 'token', documentation: 'The INS: urn:oid:<INS OID>|<15-character matricule>.' }],
  },
  async routes(fastify, { deps, fhirBase }) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/Patient/:id',
      { config: { auth: 'full' }, schema: { params: Type.Object({ id: Type.String({ pattern: FHIR_ID }) }) } },
      async (request) => {
        // Carnet's ids are UUIDs: any other id names no resource here.
        if (!CARNET_ID.test(request.params.id)) throw noSuchRecord();
        return patientResource(await readPatient(accessContext(deps, request), request.params.id.toLowerCase()));
      },
    );

    app.get(
      '/Patient',
      {
        config: { auth: 'full' },
        schema: { querystring: Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }) },
      },
      async (request) => {
        const ins = parseInsToken(request.query.identifier);
        const patient = ins === undefined ? undefined : await findPatientByIns(accessContext(deps, request), ins);
        const self = searchUrl(fhirBase, 'Patient', { identifier: request.query.identifier });
        return searchsetBundle(fhirBase, patient === undefined ? [] : [patientResource(patient)], { self }, patient === undefined ? 0 : 1);
      },
    );
  },
};

/**
 * `system|value` or `value` (FHIR R4 search §3.1.1.4.10 token). A system that is not an OID URN
 * cannot name an INS: no match, rather than an error, as for any unknown identifier system.
 */
function parseInsToken(token: string): { matricule: string; oid: string | undefined } | undefined {
  const bar = token.indexOf('|');
  const system = bar < 0 ? undefined : token.slice(0, bar);
  const value = bar < 0 ? token : token.slice(bar + 1);
  if (!/^[0-9AB]{15}$/i.test(value)) {
    throw badRequest('identifier must be an INS: urn:oid:<INS OID>|<15-character matricule>.', 'identifier');
  }
  if (system === undefined || system === '') return { matricule: value.toUpperCase(), oid: undefined };
  if (!system.startsWith('urn:oid:')) return undefined;
  return { matricule: value.toUpperCase(), oid: system.slice('urn:oid:'.length) };
}
