import {
  DOCUMENT_CATEGORIES,
  type DocumentAuthor,
  type DocumentCategory,
  type DocumentSummary,
} from '@carnet/shared/documents/patient-documents-api';
import { MASKED_FROM_PROFESSIONALS } from '../codes/confidentiality.ts';
import type { PatientDocumentRow } from './patient-documents.repository.ts';

export const isDocumentCategory = (code: string): code is DocumentCategory =>
  (DOCUMENT_CATEGORIES as readonly string[]).includes(code);

/** How the app shows a content type; what a browser cannot show safely or at all is downloaded. */
export function viewerOf(contentType: string): DocumentSummary['viewer'] {
  switch (contentType) {
    case 'application/pdf':
      return 'pdf';
    case 'image/jpeg':
    case 'image/png':
      return 'image';
    case 'text/plain':
      return 'text';
    case 'text/xml':
      return 'cda';
    default:
      // TIFF (Chromium and Firefox do not display it) and RTF.
      return 'download';
  }
}

function authorOf(row: PatientDocumentRow): DocumentAuthor | null {
  if (row.filer_kind === 'patient') return { kind: 'patient', name: null };
  if (row.author_name !== null) return { kind: 'professional', name: row.author_name };
  if (row.organization_name !== null) return { kind: 'organization', name: row.organization_name };
  return null;
}

export const isMasked = (row: Pick<PatientDocumentRow, 'confidentiality'>) => row.confidentiality.includes(MASKED_FROM_PROFESSIONALS);

/** Whether the holder added the document: only then may they rename, recategorise or delete it. */
export const addedByHolder = (row: Pick<PatientDocumentRow, 'filer_kind' | 'filer_id' | 'patient_id'>) =>
  row.filer_kind === 'patient' && row.filer_id === row.patient_id;

/** The document as the app shows it. Categories outside the app's list show under "Autres". */
export function documentSummary(row: PatientDocumentRow): DocumentSummary {
  return {
    id: row.document_id,
    title: row.title,
    category: isDocumentCategory(row.category) ? row.category : 'AUTR_DOC',
    type: { code: row.type_code, display: row.type_display },
    date: row.document_date.toISOString(),
    filedAt: row.filed_at.toISOString(),
    author: authorOf(row),
    organization: row.organization_name,
    contentType: row.content_type,
    viewer: viewerOf(row.content_type),
    size: Number(row.size),
    unread: row.read_at === null,
    pinned: row.pinned,
    folderId: row.folder_id,
    stayId: row.stay_id,
    masked: isMasked(row),
    addedByPatient: addedByHolder(row),
  };
}
