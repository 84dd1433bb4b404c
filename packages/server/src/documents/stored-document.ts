import type { Binary, DocumentReference, List } from '@medplum/fhirtypes';
import { MASKED_FROM_PROFESSIONALS, VISIBILITY_SYSTEM } from '../codes/confidentiality.ts';
import { FILED_BY_EXTENSION } from '../fhir-store/carnet-search-parameters.ts';
import type { DocumentFacts, Filer } from '../policy/record-facts.ts';
import { labelCodes } from './document-changes.ts';
import type { NewDocument } from './document-filing.ts';

type Json = Record<string, unknown>;

/**
 * ITI-67 `author.identifier` is searched as `_tag=<this>|8<RPPS>`: the authors are contained
 * resources, which a reference search parameter does not reach, and the store's FHIRPath cannot
 * resolve `#id` references to tell an author from another contained practitioner. The tag holds
 * the RPPS filing resolved from each author (mhd/contained-actors.ts).
 */
export const AUTHOR_TAG = 'https://carnet.health/fhir/CodeSystem/document-author';

/**
 * The DocumentReference as Carnet stores it, from the one a filer sent: Carnet's ids, the patient
 * as `Patient/<id>`, the content as `Binary/<file id>` (the bytes live in the blob store, never in
 * the resource), the class Carnet derives from the type, who filed it, and MASQUE_PS when the
 * holder masks new professional documents.
 */
export function storedDocumentReference(given: {
  document: NewDocument;
  documentId: string;
  fileId: string;
  patientId: string;
  filer: Filer;
  maskedByDefault: boolean;
}): DocumentReference {
  const { document, documentId, fileId, patientId, filer } = given;
  const { id: _id, meta, text: _text, extension, subject: _subject, context, relatesTo: _relatesTo, content, category, securityLabel, ...rest } = document.resource as Json;
  const attachment = ((content as Json[] | undefined)?.[0]?.attachment ?? {}) as Json;
  const { data: _data, url: _url, ...attachmentRest } = attachment;
  const format = (content as Json[] | undefined)?.[0]?.format;
  const labels = [...((securityLabel as Json[] | undefined) ?? [])];
  if (given.maskedByDefault && !document.securityLabels.includes(MASKED_FROM_PROFESSIONALS)) {
    labels.push({ coding: [{ system: VISIBILITY_SYSTEM, code: MASKED_FROM_PROFESSIONALS, display: 'Masqué aux professionnels de santé' }] });
  }
  const categories = (category as Json[] | undefined) ?? [];
  const hasClass = categories.some((c) => ((c.coding as Json[] | undefined) ?? []).some((coding) => coding.code === document.type.classCode));
  const contextJson = (context as Json | undefined) ?? {};
  return {
    ...(rest as Json),
    resourceType: 'DocumentReference',
    id: documentId,
    meta: {
      ...((meta as Json | undefined) ?? {}),
      tag: [
        ...((((meta as Json | undefined)?.tag as Json[] | undefined) ?? []).filter((t) => t.system !== AUTHOR_TAG)),
        ...(document.authorRpps ?? []).map((rpps) => ({ system: AUTHOR_TAG, code: `8${rpps}` })),
      ],
    },
    extension: [
      ...((extension as Json[] | undefined) ?? []).filter((x) => x.url !== FILED_BY_EXTENSION),
      { url: FILED_BY_EXTENSION, valueIdentifier: { system: filer.system, value: filer.value } },
    ],
    status: 'current',
    type: document.resource.type ?? { coding: [{ system: document.type.system, code: document.type.code, display: document.type.display }] },
    category: hasClass
      ? categories
      : [...categories, { coding: [{ system: document.type.classSystem, code: document.type.classCode, display: document.type.classDisplay }] }],
    subject: { reference: `Patient/${patientId}` },
    securityLabel: labels,
    content: [
      {
        attachment: { ...attachmentRest, contentType: document.content.contentType, url: `Binary/${fileId}`, size: document.content.bytes.length, hash: document.content.sha1 },
        ...(format === undefined ? {} : { format }),
      },
    ],
    context: { ...contextJson, ...(contextJson.sourcePatientInfo === undefined ? {} : { sourcePatientInfo: { reference: `Patient/${patientId}` } }) },
    ...(document.replaces === undefined ? {} : { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${document.replaces}` } }] }),
  } as unknown as DocumentReference;
}

/** The Binary's metadata: its bytes are the encrypted file of the same id (contracts of issue 4). */
export const storedBinary = (fileId: string, contentType: string, documentId: string): Binary => ({
  resourceType: 'Binary',
  id: fileId,
  contentType,
  securityContext: { reference: `DocumentReference/${documentId}` },
});

/** The SubmissionSet List, its items pointing at the stored documents, its subject at the space. */
export function storedSubmissionSet(given: { list: Json; listId: string; patientId: string; documentIds: readonly string[]; filer: Filer }): List {
  const { id: _id, meta, text: _text, subject: _subject, entry: _entry, extension, ...rest } = given.list;
  return {
    ...(rest as Json),
    resourceType: 'List',
    id: given.listId,
    ...(meta === undefined ? {} : { meta }),
    extension: [
      ...((extension as Json[] | undefined) ?? []).filter((x) => x.url !== FILED_BY_EXTENSION),
      { url: FILED_BY_EXTENSION, valueIdentifier: { system: given.filer.system, value: given.filer.value } },
    ],
    subject: { reference: `Patient/${given.patientId}` },
    entry: given.documentIds.map((id) => ({ item: { reference: `DocumentReference/${id}` } })),
  } as unknown as List;
}

/** The facts the policy decides a document access on (contracts of issue 4). */
export function documentFactsOf(resource: DocumentReference): DocumentFacts {
  return {
    typeCode: resource.type?.coding?.[0]?.code ?? '',
    ...(resource.category?.[0]?.coding?.[0]?.code === undefined ? {} : { classCode: resource.category[0].coding[0].code }),
    securityLabels: labelCodes(resource),
    filer: filedBy(resource),
  };
}

/** Who filed a stored document or submission set (its filed-by extension). */
export function filedBy(resource: DocumentReference | List): Filer | null {
  const filed = resource.extension?.find((x) => x.url === FILED_BY_EXTENSION)?.valueIdentifier;
  return filed?.system !== undefined && filed.value !== undefined ? { system: filed.system, value: filed.value } : null;
}
