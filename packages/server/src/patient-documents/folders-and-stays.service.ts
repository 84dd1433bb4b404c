import { randomUUID } from 'node:crypto';
import type { DocumentFolder, HospitalStay } from '@carnet/shared/documents/patient-documents-api';
import { badRequest, notFound } from '../errors.ts';
import { authorizeDocumentManagement } from '../care-team/document-access.ts';
import type { AccessContext } from '../patients/patient-access.ts';
import * as folders from './folders.repository.ts';
import { authorizeHolderSearch, holderRestriction } from './holder-access.ts';
import * as stays from './stays.repository.ts';

/**
 * The holder's folders and hospital stays: their own way of sorting their documents. Listing them
 * (with how many documents each holds) is a search of the space's documents; changing them, the
 * holder's handling of their documents.
 */
const folderResource = (id: string) => ({ type: 'DocumentFolder', id });
const stayResource = (id: string) => ({ type: 'HospitalStay', id });

const noSuchFolder = () => notFound('No such folder in this space.');
const noSuchStay = () => notFound('No such hospital stay in this space.');

const folderView = (row: folders.FolderRow): DocumentFolder => ({
  id: row.folder_id,
  name: row.name,
  documentCount: row.document_count,
});

const stayView = (row: stays.StayRow): HospitalStay => ({
  id: row.stay_id,
  label: row.label,
  start: row.start_date,
  end: row.end_date,
  documentCount: row.document_count,
});

export async function listFolders(context: AccessContext, patientId: string): Promise<DocumentFolder[]> {
  const restriction = await authorizeHolderSearch(context, patientId);
  return (await folders.listFolders(context.db, patientId, restriction)).map(folderView);
}

export async function createFolder(context: AccessContext, patientId: string, name: string): Promise<DocumentFolder> {
  const folderId = randomUUID();
  return authorizeDocumentManagement(context, patientId, folderResource(folderId), async (trx) => {
    await folders.insertFolder(trx, patientId, folderId, name.trim());
    return { id: folderId, name: name.trim(), documentCount: 0 };
  });
}

export async function renameFolder(context: AccessContext, patientId: string, folderId: string, name: string): Promise<DocumentFolder> {
  return authorizeDocumentManagement(context, patientId, folderResource(folderId), async (trx) => {
    if (!(await folders.renameFolder(trx, patientId, folderId, name.trim()))) throw noSuchFolder();
    return folderView((await folders.findFolder(trx, patientId, folderId, holderRestriction(context, patientId)))!);
  });
}

/** Deletes a folder; its documents are not deleted, they leave the folder. */
export async function deleteFolder(context: AccessContext, patientId: string, folderId: string): Promise<void> {
  await authorizeDocumentManagement(context, patientId, folderResource(folderId), async (trx) => {
    if (!(await folders.deleteFolder(trx, patientId, folderId))) throw noSuchFolder();
  });
}

export interface StayInput {
  label: string;
  start: string;
  end: string | null;
}

function stayValues(input: StayInput): stays.StayValues {
  if (input.end !== null && input.end < input.start) {
    throw badRequest('The stay ends before it starts; check the dates.', 'end');
  }
  return { label: input.label.trim(), start_date: input.start, end_date: input.end };
}

export async function listStays(context: AccessContext, patientId: string): Promise<HospitalStay[]> {
  const restriction = await authorizeHolderSearch(context, patientId);
  return (await stays.listStays(context.db, patientId, restriction)).map(stayView);
}

export async function createStay(context: AccessContext, patientId: string, input: StayInput): Promise<HospitalStay> {
  const values = stayValues(input);
  const stayId = randomUUID();
  return authorizeDocumentManagement(context, patientId, stayResource(stayId), async (trx) => {
    await stays.insertStay(trx, patientId, stayId, values);
    return { id: stayId, label: values.label, start: values.start_date, end: values.end_date, documentCount: 0 };
  });
}

export async function updateStay(context: AccessContext, patientId: string, stayId: string, input: StayInput): Promise<HospitalStay> {
  const values = stayValues(input);
  return authorizeDocumentManagement(context, patientId, stayResource(stayId), async (trx) => {
    if (!(await stays.updateStay(trx, patientId, stayId, values))) throw noSuchStay();
    return stayView((await stays.findStay(trx, patientId, stayId, holderRestriction(context, patientId)))!);
  });
}

/** Deletes a stay; its documents are not deleted, they are linked to no stay. */
export async function deleteStay(context: AccessContext, patientId: string, stayId: string): Promise<void> {
  await authorizeDocumentManagement(context, patientId, stayResource(stayId), async (trx) => {
    if (!(await stays.deleteStay(trx, patientId, stayId))) throw noSuchStay();
  });
}
