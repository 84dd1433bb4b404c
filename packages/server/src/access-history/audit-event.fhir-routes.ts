import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { badRequest } from '../errors.ts';
import { searchsetBundle, searchUrl } from '../fhir/bundle.ts';
import type { FhirResourceModule } from '../fhir/fhir-resource.ts';
import { accessContext, PATIENT_ID } from '../patients/patient-route.ts';
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, readAccessHistory } from './access-history.service.ts';
import { auditEventResource } from './audit-event.fhir.ts';

const PATIENT_REFERENCE = new RegExp(`^(?:Patient/)?(${PATIENT_ID})$`);

/**
 * AuditEvent under /fhir/R4: a patient's access history, searched by patient, newest first, paged
 * with `_cursor` (the `next` link carries it). The same policy decides as for the web page.
 */
export const auditEventFhir: FhirResourceModule = {
  capability: {
    type: 'AuditEvent',
    interaction: [{ code: 'search-type' }],
    searchParam: [
      { name: 'patient', type: 'reference', documentation: 'Required: the patient whose access history is read.' },
      { name: '_count', type: 'number', documentation: `Entries per page, at most ${HISTORY_PAGE_MAX}.` },
    ],
  },
  async routes(fastify, { deps, fhirBase }) {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/AuditEvent',
      {
        config: { auth: 'full' },
        schema: {
          querystring: Type.Object(
            {
              patient: Type.String({ maxLength: 100 }),
              _count: Type.Optional(Type.Integer({ minimum: 1, maximum: HISTORY_PAGE_MAX })),
              _cursor: Type.Optional(Type.Integer({ minimum: 1 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request) => {
        const match = PATIENT_REFERENCE.exec(request.query.patient);
        if (match === null) throw badRequest('patient must be Patient/<id> or <id>.', 'patient');
        const patientId = match[1]!.toLowerCase();
        const count = request.query._count ?? HISTORY_PAGE_DEFAULT;
        const page = await readAccessHistory(accessContext(deps, request), patientId, {
          limit: count,
          ...(request.query._cursor === undefined ? {} : { before: request.query._cursor }),
        });
        const link = (cursor: number | undefined) =>
          searchUrl(fhirBase, 'AuditEvent', { patient: `Patient/${patientId}`, _count: count, _cursor: cursor });
        return searchsetBundle(fhirBase, page.entries.map(auditEventResource), {
          self: link(request.query._cursor),
          next: page.nextBefore === null ? undefined : link(page.nextBefore),
        });
      },
    );
  },
};
