import { DOCUMENT_CATEGORIES, type DocumentCategory } from '../../api/documents.ts';

export const DOCUMENTS_PATH = '/documents';
export const ADD_DOCUMENT_PATH = '/documents/ajouter';
export const documentHref = (id: string) => `${DOCUMENTS_PATH}/${encodeURIComponent(id)}`;

/** What the list shows, kept in the address (French names) so that a reload or Back keeps it. */
export interface ListFilter {
  category?: DocumentCategory;
  folder?: string;
  stay?: string;
  pinned?: boolean;
  q?: string;
}

const isCategory = (value: string | null): value is DocumentCategory =>
  value !== null && (DOCUMENT_CATEGORIES as readonly string[]).includes(value);

export function filterOf(search: string): ListFilter {
  const params = new URLSearchParams(search);
  const category = params.get('categorie');
  const folder = params.get('dossier');
  const stay = params.get('sejour');
  const q = params.get('q')?.trim();
  return {
    ...(isCategory(category) ? { category } : {}),
    ...(folder ? { folder } : {}),
    ...(stay ? { stay } : {}),
    ...(params.get('epingles') === '1' ? { pinned: true } : {}),
    ...(q ? { q } : {}),
  };
}

export function listHref(filter: ListFilter): string {
  const params = new URLSearchParams();
  if (filter.category !== undefined) params.set('categorie', filter.category);
  if (filter.folder !== undefined) params.set('dossier', filter.folder);
  if (filter.stay !== undefined) params.set('sejour', filter.stay);
  if (filter.pinned) params.set('epingles', '1');
  if (filter.q !== undefined && filter.q !== '') params.set('q', filter.q);
  return params.size === 0 ? DOCUMENTS_PATH : `${DOCUMENTS_PATH}?${params}`;
}
