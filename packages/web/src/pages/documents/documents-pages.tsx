import type { ReactNode } from 'react';
import { useT } from '../../i18n/i18n.tsx';
import { AddDocumentPage } from './AddDocumentPage.tsx';
import { DocumentPage } from './DocumentPage.tsx';
import { DocumentsPage } from './DocumentsPage.tsx';
import { ADD_DOCUMENT_PATH, DOCUMENTS_PATH } from './list-filter.ts';

const DOCUMENT_PATH = /^\/documents\/([0-9a-fA-F-]{36})$/;

/** The pages of the documents section: the list, one document, adding one. */
export function useDocumentsPage(path: string): { title: string; element: ReactNode } | undefined {
  const t = useT();
  if (path === DOCUMENTS_PATH) return { title: `${t.sections.documents} — Carnet`, element: <DocumentsPage /> };
  if (path === ADD_DOCUMENT_PATH) return { title: `${t.documents.upload.title} — Carnet`, element: <AddDocumentPage /> };
  const id = DOCUMENT_PATH.exec(path)?.[1];
  if (id !== undefined) {
    return { title: `${t.documents.details.metadata} — Carnet`, element: <DocumentPage key={id} documentId={id} /> };
  }
  return undefined;
}
