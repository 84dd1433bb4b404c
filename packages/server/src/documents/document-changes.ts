import type { Coding, DocumentReference, Extension } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import { INVISIBLE_TO_PATIENT, MASKED_FROM_PROFESSIONALS, VISIBILITY_SYSTEM } from '../codes/confidentiality.ts';
import type { Database } from '../db/database.ts';
import { findResource, updateResource } from '../fhir-store/resource-store.service.ts';
import { enqueueNotification } from '../notifications/notifications.ts';
import { updateDocumentState } from './document-filing.repository.ts';
import { IS_ARCHIVED_EXTENSION } from '../fhir-store/carnet-search-parameters.ts';

/**
 * What may change on a filed document, and nothing else: its visibility flags (MASQUE_PS,
 * INVISIBLE_PATIENT), its archive flag (PDSm_isArchived) and its deletion (status
 * entered-in-error). The content and the other metadata never change: a new version replaces
 * the document (relatesTo replaces).
 */
export interface DocumentEdit {
  masked?: boolean;
  invisibleToPatient?: boolean;
  archived?: boolean;
  deleted?: true;
}

export const labelCodes = (resource: DocumentReference) =>
  (resource.securityLabel ?? []).flatMap((label) => (label.coding ?? []).flatMap((c) => (c.code === undefined ? [] : [c.code])));

const hasLabel = (resource: DocumentReference, code: string) => labelCodes(resource).includes(code);
const isArchivedDocument = (resource: DocumentReference) =>
  resource.extension?.some((x) => x.url === IS_ARCHIVED_EXTENSION && x.valueBoolean === true) ?? false;

/** The document with the edit applied: labels added or removed, archive flag, status. */
export function applyDocumentEdit(resource: DocumentReference, edit: DocumentEdit): DocumentReference {
  let labels = [...(resource.securityLabel ?? [])];
  const flag = (code: string, on: boolean | undefined) => {
    if (on === undefined) return;
    labels = labels
      .map((label) => ({ ...label, coding: (label.coding ?? []).filter((c: Coding) => c.code !== code) }))
      .filter((label) => (label.coding?.length ?? 0) > 0 || label.text !== undefined);
    if (on) labels.push({ coding: [{ system: VISIBILITY_SYSTEM, code }] });
  };
  flag(MASKED_FROM_PROFESSIONALS, edit.masked);
  flag(INVISIBLE_TO_PATIENT, edit.invisibleToPatient);
  let extension: Extension[] = [...(resource.extension ?? [])];
  if (edit.archived !== undefined) {
    extension = extension.filter((x) => x.url !== IS_ARCHIVED_EXTENSION);
    if (edit.archived) extension.push({ url: IS_ARCHIVED_EXTENSION, valueBoolean: true });
  }
  return {
    ...resource,
    extension,
    securityLabel: labels,
    ...(edit.deleted ? { status: 'entered-in-error' as const } : {}),
  };
}

/**
 * Reads which edit a changed DocumentReference (a JSON Patch applied by the client) makes, or
 * undefined when it changes anything else. Only the allowed elements are compared away; the rest
 * must be identical.
 */
export function documentEditBetween(current: DocumentReference, changed: DocumentReference): DocumentEdit | undefined {
  const edit: DocumentEdit = {};
  const before = { masked: hasLabel(current, MASKED_FROM_PROFESSIONALS), invisible: hasLabel(current, INVISIBLE_TO_PATIENT), archived: isArchivedDocument(current) };
  const after = { masked: hasLabel(changed, MASKED_FROM_PROFESSIONALS), invisible: hasLabel(changed, INVISIBLE_TO_PATIENT), archived: isArchivedDocument(changed) };
  if (before.masked !== after.masked) edit.masked = after.masked;
  if (before.invisible !== after.invisible) edit.invisibleToPatient = after.invisible;
  if (before.archived !== after.archived) edit.archived = after.archived;
  if (changed.status !== current.status) {
    if (changed.status !== 'entered-in-error' || current.status === 'entered-in-error') return undefined;
    edit.deleted = true;
  }
  // The rest is untouched: the edit applied to the current version gives the changed one.
  const expected = comparable(applyDocumentEdit(current, edit));
  if (JSON.stringify(expected) !== JSON.stringify(comparable({ ...changed, status: edit.deleted ? 'entered-in-error' : current.status }))) return undefined;
  return edit;
}

/** The resource with the edited elements normalised (labels as a sorted code list, no meta, no archive extension). */
function comparable(resource: DocumentReference) {
  const { meta: _meta, securityLabel: _labels, extension, ...rest } = resource;
  return {
    ...sortKeys(rest),
    // A label added twice is the same label: the set of codes is what the patch may change.
    labels: [...new Set(labelCodes(resource))].sort(),
    extension: (extension ?? []).filter((x) => x.url !== IS_ARCHIVED_EXTENSION).map(sortKeys),
  };
}

function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)])) as T;
}

/**
 * Applies an edit to a stored document in the caller's transaction: the DocumentReference's new
 * version and the patient's view of it. A document made visible to the patient is announced to
 * them (the notification of a new document they could not see before).
 */
export async function editDocument(trx: Kysely<Database>, target: { patientId: string; documentId: string }, edit: DocumentEdit) {
  const key = { resourceType: 'DocumentReference', id: target.documentId, patientId: target.patientId };
  const current = await findResource<DocumentReference>(trx, key);
  if (current === undefined || current.deleted) throw new Error('The document to edit is not in the space.');
  const stored = await updateResource(trx, key, applyDocumentEdit(current.resource, edit), { expectedVersion: current.versionId });
  await recordDocumentEdit(trx, target, stored.resource, current.resource);
  return stored;
}

/** The patient's view and notifications after a DocumentReference changed from `before` to `after`. */
export async function recordDocumentEdit(trx: Kysely<Database>, target: { patientId: string; documentId: string }, after: DocumentReference, before: DocumentReference) {
  await updateDocumentState(trx, target.patientId, target.documentId, {
    confidentiality: labelCodes(after),
    archived: isArchivedDocument(after),
    ...(after.status === 'entered-in-error' || after.status === 'superseded' || after.status === 'current' ? { status: after.status } : {}),
  });
  if (hasLabel(before, INVISIBLE_TO_PATIENT) && !hasLabel(after, INVISIBLE_TO_PATIENT) && after.status === 'current') {
    await enqueueNotification(trx, { patientId: target.patientId, kind: 'new-document', dedupeKey: `announced:${target.documentId}` });
  }
}

/** The patient app's mask switch (MASQUE_PS on or off), in the caller's transaction. */
export const setDocumentMasked = (trx: Kysely<Database>, target: { patientId: string; documentId: string; masked: boolean }) =>
  editDocument(trx, target, { masked: target.masked });

/** Logical deletion (status entered-in-error): the document leaves every list; its history stays. */
export const deleteDocument = (trx: Kysely<Database>, target: { patientId: string; documentId: string }) => editDocument(trx, target, { deleted: true });
