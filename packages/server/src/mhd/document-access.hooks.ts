import type { DocumentReference, List } from '@medplum/fhirtypes';
import { authorizeDocumentFiling, authorizeDocumentManagement, authorizeDocumentRead, authorizeDocumentSearch } from '../care-team/document-access.ts';
import { applyDocumentEdit, documentEditBetween, type DocumentEdit, recordDocumentEdit } from '../documents/document-changes.ts';
import { filerOf, sameFiler } from '../documents/filer.ts';
import { SubmissionRefused } from '../documents/filing-problems.ts';
import { documentFactsOf, filedBy } from '../documents/stored-document.ts';
import { badRequest, CarnetError } from '../errors.ts';
import type { ResourceAccess } from '../fhir-store/resource-access.ts';
import { enqueueNotification, professionalAccessDedupeKey } from '../notifications/notifications.ts';
import { type AccessContext, nowOf } from '../patients/patient-access.ts';
import { noSuchRecord } from '../policy/authorize.ts';
import { filerOfProfessional } from '../policy/policy.ts';

const DOCUMENT = 'DocumentReference';

const filedThroughMhd = () =>
  badRequest('Documents are filed through IHE ITI-65: POST a transaction Bundle with a SubmissionSet List to /fhir/R4.', 'resourceType');

/**
 * DocumentReference under /fhir/R4, decided by the document rules (care-team/document-access.ts
 * over policy/): a read on the document's facts (type, labels, filer), a search under the
 * restriction the store applies inside its query, and a PATCH limited to the visibility flags,
 * the archive flag and the author's deletion. Professionals' reads are notified to the patient.
 */
export const documentReferenceAccess: ResourceAccess<DocumentReference> = {
  async read(context, stored) {
    await authorizeDocumentRead(context, stored.patientId, { ...documentFactsOf(stored.resource), id: stored.id });
    await noteProfessionalAccess(context, stored.patientId);
  },

  async search(context, patientId) {
    const restriction = await authorizeDocumentSearch(context, patientId);
    await noteProfessionalAccess(context, patientId);
    return restriction;
  },

  async write(context, change, perform) {
    if (change.kind !== 'patch') throw filedThroughMhd();
    const edit = documentEditBetween(change.current.resource, change.resource);
    if (edit === undefined) {
      throw new SubmissionRefused(
        [
          {
            location: DOCUMENT,
            message:
              'A PATCH changes only securityLabel (MASQUE_PS, INVISIBLE_PATIENT), the PDSm_isArchived extension, or status to entered-in-error (deletion by its author); a new version of the document is filed with relatesTo replaces.',
            code: 'not-supported',
          },
        ],
      );
    }
    const { patientId, current } = change;
    // The stored form of the change (labels in TRE_A07, the archive tag), whatever form the patch used.
    change.resource = applyDocumentEdit(current.resource, edit);
    const facts = documentFactsOf(current.resource);
    // Who may not read the document may not know it exists, let alone change it.
    await authorizeDocumentRead(context, patientId, { ...facts, id: current.id });
    const target = { patientId, documentId: current.id };
    const resource = { type: DOCUMENT, id: current.id };
    const run = async (trx: Parameters<typeof perform>[0]) => {
      const result = await perform(trx);
      await recordDocumentEdit(trx, target, change.resource, current.resource);
      return result;
    };
    const actor = context.actor;
    if (actor.kind === 'patient') {
      if (!holderMayMake(edit)) throw new CarnetError('forbidden', 403, 'The holder masks and unmasks documents (MASQUE_PS); the rest is for the professional who filed it.');
      return authorizeDocumentManagement(context, patientId, resource, run);
    }
    if (actor.kind !== 'professional') throw noSuchRecord();
    if (!sameFiler(facts.filer, filerOfProfessional(actor.rpps))) {
      throw new CarnetError('forbidden', 403, 'Only the professional who filed this document changes its visibility, archives it or deletes it.');
    }
    // A professional's change to their document is decided as filing is: refused to a blocked
    // professional and on a space that is not active.
    return authorizeDocumentFiling(context, patientId, (trx) => run(trx), resource);
  },
};

const holderMayMake = (edit: DocumentEdit) =>
  edit.invisibleToPatient === undefined && edit.archived === undefined && edit.deleted === undefined && edit.masked !== undefined;

/**
 * SubmissionSets (ITI-66): each filer sees the submissions they made. A List names documents, some
 * of which the reader may not see, so Lists are not shared beyond their filer.
 */
export const submissionSetAccess: ResourceAccess<List> = {
  async read(context, stored) {
    await authorizeDocumentSearch(context, stored.patientId);
    if (context.actor.kind === 'operator') throw noSuchRecord();
    if (!sameFiler(filedBy(stored.resource), filerOf(context.actor).identifier)) throw noSuchRecord();
  },

  async search(context, patientId) {
    await authorizeDocumentSearch(context, patientId);
    if (context.actor.kind === 'operator') return { kind: 'nothing' };
    const { identifier } = filerOf(context.actor);
    return { kind: 'token', param: 'filer', codes: [{ system: identifier.system, code: identifier.value }] };
  },

  async write() {
    throw filedThroughMhd();
  },
};

/** Patients' days already notified by this process: most reads skip the queue's write. */
const notified = new Map<string, true>();
const MAX_REMEMBERED = 10_000;

/**
 * E-mail to the patient at each professional's access (reference.md §1.4), at most one per
 * professional, patient and day (the queue's dedupe key).
 */
export async function noteProfessionalAccess(context: AccessContext, patientId: string) {
  const actor = context.actor;
  if (actor.kind !== 'professional') return;
  const key = `${patientId}/${professionalAccessDedupeKey(actor.professionalId, nowOf(context))}`;
  if (notified.has(key)) return;
  await enqueueNotification(context.db, { patientId, kind: 'professional-access', dedupeKey: key.slice(patientId.length + 1) });
  if (notified.size >= MAX_REMEMBERED) notified.clear();
  notified.set(key, true);
}
