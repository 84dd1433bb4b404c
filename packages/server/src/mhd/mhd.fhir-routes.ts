import type { Binary, Bundle, DocumentReference } from '@medplum/fhirtypes';
import type { FastifyRequest } from 'fastify';
import { authorizeDocumentRead } from '../care-team/document-access.ts';
import { documentFactsOf } from '../documents/stored-document.ts';
import { searchsetBundle, searchUrl } from '../fhir/bundle.ts';
import type { FhirResourceModule } from '../fhir/fhir-resource.ts';
import type { TransactionHandler } from '../fhir-store/bundle-interactions.ts';
import { resourceNotFound } from '../fhir-store/fhir-store.errors.ts';
import { searchInteraction } from '../fhir-store/fhir-interactions.ts';
import { send, storedResourceModule } from '../fhir-store/fhir-store.routes.ts';
import { FHIR_ID, findResource } from '../fhir-store/resource-store.service.ts';
import { accessContext } from '../patients/patient-route.ts';
import { documentReferenceAccess, noteProfessionalAccess, submissionSetAccess } from './document-access.hooks.ts';
import { translateFindDocumentReferences } from './find-document-references.ts';
import { arrayAt, objectAt, stringAt } from './json-shape.ts';
import { provideDocumentBundle } from './provide-document-bundle.ts';
import { MHD_LIST_TYPES } from './provide-bundle.ts';

const storedDocumentReference = storedResourceModule<DocumentReference>({
  resourceType: 'DocumentReference',
  access: documentReferenceAccess,
  // Search is ITI-67's (below); creation is ITI-65's; deletion is the author's PATCH of status.
  interactions: ['read', 'vread', 'history-instance', 'patch'],
});

/**
 * DocumentReference under /fhir/R4: read, vread and history, the PATCH of visibility, archive and
 * deletion, and IHE ITI-67 Find Document References (patient and status required, PDSm's
 * parameters translated to the store's).
 */
export const documentReferenceFhir: FhirResourceModule = {
  get capability() {
    const capability = storedDocumentReference.capability;
    return {
      ...capability,
      interaction: [...capability.interaction, { code: 'search-type' as const }],
      searchParam: [
        { name: 'patient', type: 'reference' as const, documentation: 'Required with status (ITI-67): Patient/<id>.' },
        { name: 'patient.identifier', type: 'token' as const, documentation: 'The INS: urn:oid:1.2.250.1.213.1.4.8|<matricule>.' },
        { name: 'status', type: 'token' as const, documentation: 'Required (ITI-67): current, superseded, entered-in-error.' },
        { name: 'isArchived', type: 'token' as const, documentation: 'PDSm_isArchived: true or false.' },
        { name: 'author.identifier', type: 'token' as const, documentation: 'RPPS: urn:oid:1.2.250.1.71.4.2.1|8<RPPS>.' },
        { name: 'relatesTo', type: 'reference' as const },
        ...['type', 'category', 'period', 'facility', 'setting', 'security-label', 'format', 'date', 'identifier'].map((name) => ({
          name,
          type: (name === 'period' || name === 'date' ? 'date' : 'token') as 'date' | 'token',
        })),
      ],
    };
  },
  stored: storedDocumentReference.stored!,
  async routes(app, options) {
    await storedDocumentReference.routes(app, options);
    const binding = storedDocumentReference.stored!;
    app.get('/DocumentReference', { config: { auth: 'full' } }, async (request, reply) => {
      const context = accessContext(options.deps, request);
      const query = queryOf(request);
      const translated = await translateFindDocumentReferences(options.deps.db, query);
      if (translated === undefined) {
        // An INS no space has: nothing matches, as for any unknown patient identifier.
        return searchsetBundle(options.fhirBase, [], { self: searchUrl(options.fhirBase, 'DocumentReference', Object.fromEntries(query)) }, 0);
      }
      const call = { context, fhirBase: options.fhirBase, bindings: options.storedTypes };
      return send(reply, options.fhirBase, await searchInteraction(call, binding, translated));
    });
  },
};

/** SubmissionSets (IHE ITI-66 Find Document Lists): each filer's own. */
export const submissionSetFhir: FhirResourceModule = storedResourceModule({
  resourceType: 'List',
  access: submissionSetAccess,
  interactions: ['read', 'search-type'],
});

const FHIR_TYPES = ['application/fhir+json', 'application/json'];

/**
 * IHE ITI-68 Retrieve Document: `GET /fhir/R4/Binary/<id>`, the id of DocumentReference
 * .content.attachment.url. The document's own bytes and type, unless FHIR JSON is asked for (then
 * the Binary resource with its data). Decided on the owning DocumentReference's facts, audited.
 */
export const binaryFhir: FhirResourceModule = {
  capability: { type: 'Binary', interaction: [{ code: 'read' }] },
  async routes(app, { deps }) {
    app.get('/Binary/:id', { config: { auth: 'full' } }, async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!FHIR_ID.test(id)) throw resourceNotFound('Binary', id);
      const binary = await findResource<Binary>(deps.db, { resourceType: 'Binary', id });
      const documentId = /^DocumentReference\/(.+)$/.exec(binary?.resource.securityContext?.reference ?? '')?.[1];
      const document =
        binary === undefined || documentId === undefined
          ? undefined
          : await findResource<DocumentReference>(deps.db, { resourceType: 'DocumentReference', id: documentId, patientId: binary.patientId });
      if (binary === undefined || document === undefined || binary.deleted) throw resourceNotFound('Binary', id);
      const context = accessContext(deps, request);
      await authorizeDocumentRead(context, binary.patientId, { ...documentFactsOf(document.resource), id: document.id });
      await noteProfessionalAccess(context, binary.patientId);
      const bytes = await deps.patientFiles.getPatientFile(binary.patientId, binary.id);
      void reply.header('cache-control', 'no-store');
      if (wantsFhirJson(request)) {
        return reply.type('application/fhir+json; charset=utf-8').send({ ...binary.resource, data: bytes.toString('base64') });
      }
      const contentType = binary.resource.contentType;
      // Security checklist F3: served as an attachment, never sniffed, sandboxed if opened.
      return reply
        .type(contentType)
        .header('content-disposition', `attachment; filename="document-${binary.id}${EXTENSIONS[contentType] ?? ''}"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "sandbox; default-src 'none'")
        .send(bytes);
    });
  },
};

const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/tiff': '.tiff',
  'text/plain': '.txt',
  'text/rtf': '.rtf',
  'text/xml': '.xml',
};

function wantsFhirJson(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '').toLowerCase();
  return FHIR_TYPES.some((type) => accept.includes(type)) || String((request.query as Record<string, unknown>)._format ?? '').includes('json');
}

/** IHE ITI-65: a transaction Bundle with a SubmissionSet List, or creating DocumentReferences. */
export const provideDocumentBundleHandler: TransactionHandler = {
  matches(bundle: Bundle) {
    return (bundle.entry ?? []).some((entry) => {
      const resource = (entry as Partial<typeof entry> | null)?.resource as unknown;
      const type = stringAt(resource, 'resourceType');
      if (type === 'DocumentReference') return true;
      return type === 'List' && arrayAt(objectAt(resource, 'code'), 'coding').some((c) => stringAt(c, 'system') === MHD_LIST_TYPES);
    });
  },
  handle(bundle, { deps, context }) {
    return provideDocumentBundle(deps, context, bundle);
  },
};

/** The query string's parameters in order, repeated names kept. */
function queryOf(request: FastifyRequest): [string, string][] {
  const at = request.url.indexOf('?');
  return at < 0 ? [] : [...new URLSearchParams(request.url.slice(at + 1))];
}
