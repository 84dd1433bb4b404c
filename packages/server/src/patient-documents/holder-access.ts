import { authorizeDocumentRead, authorizeDocumentSearch } from '../care-team/document-access.ts';
import type { SearchRestriction } from '../fhir-store/search-restriction.ts';
import { type AccessContext, authorizeOnRecord } from '../patients/patient-access.ts';
import { CarnetError } from '../errors.ts';
import { decide, filerOfPatient, filerOfProfessional, purposeOf } from '../policy/policy.ts';
import type { DocumentFacts } from '../policy/record-facts.ts';
import type { PatientDocumentRow } from './patient-documents.repository.ts';

/**
 * This API is the holder's own view of their documents, with their organisation of them (folders,
 * pins, read marks, stays). Anyone else is asked for as the holder's handling of their documents
 * (`document.manage`), which the policy refuses, and audits, to everyone but the holder: another
 * patient and operator staff get 404, a professional 403. Professionals read documents through
 * FHIR (ITI-67/68), under their own rules.
 */
export async function refuseUnlessHolder(context: AccessContext, patientId: string): Promise<void> {
  if (isHolder(context, patientId)) return;
  await authorizeOnRecord(context, { patientId, action: 'document.manage', resource: { type: 'DocumentReference' } });
  // Only reached if the policy ever let someone else manage the documents: this view stays the holder's.
  throw new CarnetError('forbidden', 403, 'The documents of the patient app are the holder’s; use /fhir/R4/DocumentReference.');
}

const isHolder = (context: AccessContext, patientId: string) =>
  context.actor.kind === 'patient' && context.actor.patientId === patientId;

/** The facts the policy decides a document on, from the patient's view of it. */
export function documentFacts(row: PatientDocumentRow): DocumentFacts {
  return {
    typeCode: row.type_code,
    ...(row.class_code === null ? {} : { classCode: row.class_code }),
    securityLabels: row.confidentiality,
    filer: row.filer_kind === 'patient' ? filerOfPatient(row.filer_id) : filerOfProfessional(row.filer_id),
  };
}

/** The holder's list: what their search may return, decided and audited once. */
export async function authorizeHolderSearch(context: AccessContext, patientId: string): Promise<SearchRestriction> {
  await refuseUnlessHolder(context, patientId);
  return authorizeDocumentSearch(context, patientId);
}

/** The holder reads one document (its metadata, content or rendering), decided on its facts and audited. */
export async function authorizeHolderRead(context: AccessContext, patientId: string, row: PatientDocumentRow): Promise<void> {
  await authorizeDocumentRead(context, patientId, { id: row.document_id, ...documentFacts(row) });
}

/**
 * Whether the holder may see a document, without recording anything: for a change already
 * decided and audited as `document.manage`, so that a document the holder may not read (one not
 * announced yet) is as absent to a change as it is to a read.
 */
export function holderMaySee(context: AccessContext, patientId: string, row: PatientDocumentRow): boolean {
  return decide({
    actor: context.actor,
    patientId,
    action: 'document.read',
    purpose: purposeOf(context.actor),
    document: documentFacts(row),
  }).permit;
}

/** What the holder's search may return, without recording anything: counts in a change's answer. */
export function holderRestriction(context: AccessContext, patientId: string): SearchRestriction {
  const decision = decide({ actor: context.actor, patientId, action: 'document.search', purpose: purposeOf(context.actor) });
  return decision.permit ? (decision.restriction ?? { kind: 'nothing' }) : { kind: 'nothing' };
}
