import type {
  CdaView,
  DocumentCategory,
  DocumentChange,
  DocumentFolder,
  DocumentList,
  DocumentListQuery,
  DocumentSummary,
  HospitalStay,
} from '@carnet/shared/documents/patient-documents-api';
import { api } from './http.ts';

export type { CdaView, DocumentCategory, DocumentChange, DocumentFolder, DocumentList, DocumentSummary, HospitalStay };
export { DOCUMENT_CATEGORIES, PATIENT_UPLOAD_TYPES } from '@carnet/shared/documents/patient-documents-api';

const base = (patientId: string) => `/api/patients/${encodeURIComponent(patientId)}`;
const documentPath = (patientId: string, documentId: string) => `${base(patientId)}/documents/${encodeURIComponent(documentId)}`;

export function fetchDocuments(patientId: string, query: DocumentListQuery): Promise<DocumentList> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.size === 0 ? '' : `?${params}`;
  return api<DocumentList>(`${base(patientId)}/documents${search}`);
}

export const fetchDocument = (patientId: string, documentId: string) => api<DocumentSummary>(documentPath(patientId, documentId));

export const changeDocument = (patientId: string, documentId: string, change: DocumentChange) =>
  api<DocumentSummary>(documentPath(patientId, documentId), { method: 'PATCH', body: change });

export const deleteDocument = (patientId: string, documentId: string) =>
  api<void>(documentPath(patientId, documentId), { method: 'DELETE' });

/** The original file, for the viewer (inline) or to keep (download). */
export const contentUrl = (patientId: string, documentId: string, download = false) =>
  `${documentPath(patientId, documentId)}/content${download ? '?download=1' : ''}`;

export const fetchCdaView = (patientId: string, documentId: string) => api<CdaView>(`${documentPath(patientId, documentId)}/view`);

/** The file a level 1 CDA wraps (usually a PDF), for the viewer. */
export const embeddedUrl = (patientId: string, documentId: string) => `${documentPath(patientId, documentId)}/view/embedded`;

export function uploadDocument(
  patientId: string,
  upload: { file: File; title: string; category: DocumentCategory; folderId?: string | undefined },
): Promise<DocumentSummary> {
  const params = new URLSearchParams({ title: upload.title, category: upload.category });
  if (upload.folderId !== undefined) params.set('folderId', upload.folderId);
  return api<DocumentSummary>(`${base(patientId)}/documents?${params}`, {
    method: 'POST',
    // The browser's guess from the name; the server believes only the bytes.
    file: { data: upload.file, contentType: upload.file.type || 'application/octet-stream' },
  });
}

export const fetchFolders = (patientId: string) => api<DocumentFolder[]>(`${base(patientId)}/folders`);
export const createFolder = (patientId: string, name: string) =>
  api<DocumentFolder>(`${base(patientId)}/folders`, { method: 'POST', body: { name } });
export const renameFolder = (patientId: string, folderId: string, name: string) =>
  api<DocumentFolder>(`${base(patientId)}/folders/${encodeURIComponent(folderId)}`, { method: 'PATCH', body: { name } });
export const deleteFolder = (patientId: string, folderId: string) =>
  api<void>(`${base(patientId)}/folders/${encodeURIComponent(folderId)}`, { method: 'DELETE' });

export interface StayInput {
  label: string;
  start: string;
  end: string | null;
}

export const fetchStays = (patientId: string) => api<HospitalStay[]>(`${base(patientId)}/stays`);
export const createStay = (patientId: string, stay: StayInput) =>
  api<HospitalStay>(`${base(patientId)}/stays`, { method: 'POST', body: stay });
export const updateStay = (patientId: string, stayId: string, stay: StayInput) =>
  api<HospitalStay>(`${base(patientId)}/stays/${encodeURIComponent(stayId)}`, { method: 'PATCH', body: stay });
export const deleteStay = (patientId: string, stayId: string) =>
  api<void>(`${base(patientId)}/stays/${encodeURIComponent(stayId)}`, { method: 'DELETE' });
