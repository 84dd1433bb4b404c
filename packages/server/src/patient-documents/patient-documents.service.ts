import {
  type CdaView,
  DOCUMENT_CATEGORIES,
  type DocumentCategory,
  type DocumentChange,
  type DocumentList,
  type DocumentListQuery,
  type DocumentSummary,
} from '@carnet/shared/documents/patient-documents-api';
import type { Kysely } from 'kysely';
import { authorizeDocumentManagement } from '../care-team/document-access.ts';
import type { Database } from '../db/database.ts';
import { deleteDocument, setDocumentMasked } from '../documents/document-changes.ts';
import { fileDocuments } from '../documents/document-filing.ts';
import type { Deps } from '../deps.ts';
import { parseCda } from '../document-content/cda-parse.ts';
import { renderCdaHtml } from '../document-content/cda-html.ts';
import { sniffDocument } from '../document-content/sniff.ts';
import { badRequest, CarnetError, notFound } from '../errors.ts';
import { type AccessContext, nowOf } from '../patients/patient-access.ts';
import { addedByHolder, documentSummary, isMasked, viewerOf } from './document-summary.ts';
import { authorizeHolderRead, authorizeHolderSearch, holderMaySee, refuseUnlessHolder } from './holder-access.ts';
import { decodeCursor, encodeCursor } from './list-cursor.ts';
import { type PatientUpload, patientDocument } from './patient-upload.ts';
import * as repository from './patient-documents.repository.ts';

export const LIST_PAGE_DEFAULT = 50;
export const LIST_PAGE_MAX = 100;

const documentResource = (id?: string) => ({ type: 'DocumentReference', ...(id === undefined ? {} : { id }) });

export const noSuchDocument = () =>
  notFound('No such document in this space; it may have been deleted or replaced by a newer version.');

/**
 * A page of the holder's documents, newest first, with how many each category holds. The whole
 * list is one access, decided and audited once as a search of the space's documents; the policy's
 * restriction is applied inside the query, so pages and counts agree with what a read would allow.
 */
export async function listDocuments(context: AccessContext, patientId: string, query: DocumentListQuery): Promise<DocumentList> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const restriction = await authorizeHolderSearch(context, patientId);
  const limit = query.limit ?? LIST_PAGE_DEFAULT;
  const q = query.q?.trim();
  const filter: repository.DocumentFilter = {
    ...(query.category === undefined ? {} : { category: query.category }),
    ...(query.folder === undefined ? {} : { folderId: query.folder.toLowerCase() }),
    ...(query.stay === undefined ? {} : { stayId: query.stay.toLowerCase() }),
    ...(query.pinned === undefined ? {} : { pinned: query.pinned }),
    ...(q === undefined || q === '' ? {} : { q }),
  };
  const { category: _category, ...allCategories } = filter;
  const rows = await repository.listDocuments(context.db, patientId, restriction, filter, {
    ...(after === undefined ? {} : { after }),
    limit,
  });
  const counted = await repository.countByCategory(context.db, patientId, restriction, allCategories);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const counts = Object.fromEntries(DOCUMENT_CATEGORIES.map((c) => [c, 0])) as Record<DocumentCategory, number>;
  for (const [category, count] of counted) {
    const shown = (DOCUMENT_CATEGORIES as readonly string[]).includes(category) ? (category as DocumentCategory) : 'AUTR_DOC';
    counts[shown] += count;
  }
  return {
    documents: page.map(documentSummary),
    next: rows.length > limit && last !== undefined ? encodeCursor({ date: last.position, documentId: last.document_id }) : null,
    counts,
  };
}

/** The document, once the policy has decided on its facts and the read is audited. */
async function readableDocument(context: AccessContext, patientId: string, documentId: string): Promise<repository.PatientDocumentRow> {
  await refuseUnlessHolder(context, patientId);
  const row = await repository.findDocument(context.db, patientId, documentId);
  if (row === undefined) throw noSuchDocument();
  await authorizeHolderRead(context, patientId, row);
  return row;
}

/** One document's metadata; reading it is an access to that document, audited as such. */
export async function readDocument(context: AccessContext, patientId: string, documentId: string): Promise<DocumentSummary> {
  return documentSummary(await readableDocument(context, patientId, documentId));
}

export interface DocumentContent {
  document: repository.PatientDocumentRow;
  bytes: Buffer;
}

/** The original bytes of a document, as filed; reading them is an access of its own, audited. */
export async function readDocumentContent(
  deps: Pick<Deps, 'patientFiles'>,
  context: AccessContext,
  patientId: string,
  documentId: string,
): Promise<DocumentContent> {
  const document = await readableDocument(context, patientId, documentId);
  return { document, bytes: await deps.patientFiles.getPatientFile(patientId, document.file_id) };
}

/** A document's CDA, parsed, once the read is decided and audited; 409 for any other document. */
async function readableCda(deps: Pick<Deps, 'patientFiles' | 'config'>, context: AccessContext, patientId: string, documentId: string) {
  const document = await readableDocument(context, patientId, documentId);
  if (document.content_type !== 'text/xml') {
    throw new CarnetError('not_cda', 409, 'This document is not a CDA document; read its content instead (…/content).');
  }
  const bytes = await deps.patientFiles.getPatientFile(patientId, document.file_id);
  return { document, cda: parseCda(bytes, { maxBytes: deps.config.documentMaxBytes }) };
}

/**
 * A CDA document rendered for reading: its header and the narrative of its sections, as HTML built
 * by a whitelist renderer (document-content/cda-html.ts), never the document's own markup. A level
 * 1 CDA's content is the file it wraps: `embedded` says what it is (sniffed, not as declared).
 */
export async function viewCdaDocument(
  deps: Pick<Deps, 'patientFiles' | 'config'>,
  context: AccessContext,
  patientId: string,
  documentId: string,
): Promise<CdaView> {
  const { cda } = await readableCda(deps, context, patientId, documentId);
  const html = renderCdaHtml(cda, { locale: 'fr' });
  if (cda.body.level !== 'N1') return { html, embedded: null };
  const sniffed = await sniffDocument(cda.body.content, { maxBytes: deps.config.documentMaxBytes, allowCda: false });
  return { html, embedded: { contentType: sniffed.contentType, viewer: viewerOf(sniffed.contentType) } };
}

/** The file a level 1 CDA wraps, for the viewer, under the type its bytes show. */
export async function readEmbeddedContent(
  deps: Pick<Deps, 'patientFiles' | 'config'>,
  context: AccessContext,
  patientId: string,
  documentId: string,
): Promise<{ title: string; contentType: string; bytes: Buffer }> {
  const { document, cda } = await readableCda(deps, context, patientId, documentId);
  if (cda.body.level !== 'N1') throw new CarnetError('not_cda_level_1', 409, 'This CDA document is structured (level 3): it wraps no file.');
  const sniffed = await sniffDocument(cda.body.content, { maxBytes: deps.config.documentMaxBytes, allowCda: false });
  return { title: document.title, contentType: sniffed.contentType, bytes: Buffer.from(cda.body.content) };
}

/**
 * Changes the holder's organisation of a document (folder, stay, pin, read mark), its title and
 * category when they added it, and whether professionals see it. The change and its audit entry
 * commit together; masking also relabels the DocumentReference, in the same transaction, so that
 * professionals' searches follow at once.
 */
export async function changeDocument(
  context: AccessContext,
  patientId: string,
  documentId: string,
  change: DocumentChange,
): Promise<DocumentSummary> {
  const now = nowOf(context);
  return authorizeDocumentManagement(context, patientId, documentResource(documentId), async (trx) => {
    const row = await repository.findDocumentForUpdate(trx, patientId, documentId);
    if (row === undefined || !holderMaySee(context, patientId, row)) throw noSuchDocument();
    if ((change.title !== undefined || change.category !== undefined) && !addedByHolder(row)) {
      throw new CarnetError(
        'not_own_document',
        403,
        'Only the documents you added can be renamed or moved to another category; a professional’s document keeps the title its author gave.',
        { field: change.title !== undefined ? 'title' : 'category' },
      );
    }
    await checkPlaces(trx, patientId, change);
    await repository.updateOwnMetadata(trx, patientId, documentId, {
      ...(change.title === undefined ? {} : { title: change.title.trim() }),
      ...(change.category === undefined ? {} : { category: change.category }),
    });
    await repository.updateOrganisation(trx, patientId, documentId, {
      ...(change.folderId === undefined ? {} : { folder_id: change.folderId?.toLowerCase() ?? null }),
      ...(change.stayId === undefined ? {} : { stay_id: change.stayId?.toLowerCase() ?? null }),
      ...(change.pinned === undefined ? {} : { pinned: change.pinned }),
      // A read mark keeps the first reading; "unread" clears it.
      ...(change.read === undefined ? {} : { read_at: change.read ? (row.read_at ?? now) : null }),
    });
    if (change.masked !== undefined && change.masked !== isMasked(row)) {
      await setDocumentMasked(trx, { patientId, documentId, masked: change.masked });
    }
    const changed = await repository.findDocument(trx, patientId, documentId);
    if (changed === undefined) throw noSuchDocument();
    return documentSummary(changed);
  });
}

/** A folder or stay named in a change must be the holder's own. */
async function checkPlaces(trx: Kysely<Database>, patientId: string, change: DocumentChange) {
  if (change.folderId != null && !(await repository.folderExists(trx, patientId, change.folderId.toLowerCase()))) {
    throw badRequest('No such folder in this space; create it first.', 'folderId');
  }
  if (change.stayId != null && !(await repository.stayExists(trx, patientId, change.stayId.toLowerCase()))) {
    throw badRequest('No such hospital stay in this space; create it first.', 'stayId');
  }
}

/**
 * Deletes a document the holder added: it leaves every list (the DocumentReference becomes
 * entered-in-error, its history stays). Only its author deletes a document (DMP rule), so a
 * professional's document is refused.
 */
export async function deleteOwnDocument(context: AccessContext, patientId: string, documentId: string): Promise<void> {
  await authorizeDocumentManagement(context, patientId, documentResource(documentId), async (trx) => {
    const row = await repository.findDocumentForUpdate(trx, patientId, documentId);
    if (row === undefined || !holderMaySee(context, patientId, row)) throw noSuchDocument();
    if (!addedByHolder(row)) {
      throw new CarnetError('not_own_document', 403, 'Only the documents you added can be deleted; a professional’s document is deleted by its author.');
    }
    await deleteDocument(trx, { patientId, documentId });
  });
}

/**
 * Adds a file of the holder's to their space: refused with nothing stored when the bytes are not an
 * accepted type or disagree with the declared one (415), or are over the limit (413); else filed
 * like any document (blob, DocumentReference, view, audit, text extraction), already read.
 */
export async function uploadDocument(
  deps: Pick<Deps, 'db' | 'patientFiles' | 'config'>,
  context: AccessContext,
  patientId: string,
  upload: PatientUpload,
): Promise<DocumentSummary> {
  await refuseUnlessHolder(context, patientId);
  const now = nowOf(context);
  const document = await patientDocument(upload, { maxBytes: deps.config.documentMaxBytes, now });
  if (upload.folderId !== undefined && !(await repository.folderExists(context.db, patientId, upload.folderId))) {
    throw badRequest('No such folder in this space; create it first.', 'folderId');
  }
  const { documents } = await fileDocuments(deps, context, { patientId, documents: [document] });
  const documentId = documents[0]!.documentId;
  // The holder's own file is not news to them.
  await repository.updateOrganisation(context.db, patientId, documentId, { read_at: now });
  const row = await repository.findDocument(context.db, patientId, documentId);
  if (row === undefined) throw noSuchDocument();
  return documentSummary(row);
}
