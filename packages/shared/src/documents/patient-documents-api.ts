/**
 * The patient app's documents API (`/api/patients/:patientId/…`): what the server sends and the web
 * app reads. One definition, so that the two cannot drift apart.
 */

/** The patient-facing categories (Mon espace santé), in the order the app shows them. */
export const DOCUMENT_CATEGORIES = [
  'SYNTHESE',
  'ORD_SOIN',
  'RADIO_SC',
  'BIOLOGIE',
  'CPT_REND',
  'DEPISTAG',
  'CERT_MED',
  'DOC_ADM',
  'AUTR_DOC',
] as const;
export type DocumentCategory = (typeof DOCUMENT_CATEGORIES)[number];

/** What a patient may upload, sniffed from the bytes (the declared type must agree). */
export const PATIENT_UPLOAD_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/tiff',
  'text/plain',
  'text/rtf',
] as const;

export interface DocumentAuthor {
  kind: 'professional' | 'patient' | 'organization';
  /** "Dr Claire BERNARD", the organisation's name, or null for the patient themselves. */
  name: string | null;
}

export interface DocumentSummary {
  id: string;
  title: string;
  category: DocumentCategory;
  /** The document type (LOINC or TRE_A05 code) and its French display. */
  type: { code: string; display: string };
  /** When the document was written (DocumentReference.date / context.period.start). */
  date: string;
  /** When it reached the space. */
  filedAt: string;
  author: DocumentAuthor | null;
  organization: string | null;
  contentType: string;
  /** 'cda' when the content is a CDA document the app renders as HTML. */
  viewer: 'pdf' | 'image' | 'text' | 'cda' | 'download';
  size: number;
  unread: boolean;
  pinned: boolean;
  folderId: string | null;
  stayId: string | null;
  /** Masked from professionals (MASQUE_PS): only its author, the treating doctor and administrators see it. */
  masked: boolean;
  /** The patient added it: they may rename it, change its category, delete it. */
  addedByPatient: boolean;
}

export interface DocumentList {
  documents: DocumentSummary[];
  /** Opaque cursor for the next page, when there is one. */
  next: string | null;
  /** How many documents each category holds (for the filters), counting what the patient sees. */
  counts: Record<DocumentCategory, number>;
}

/** GET /api/patients/:patientId/documents?category=&folder=&stay=&q=&pinned=&cursor=&limit= */
export interface DocumentListQuery {
  category?: DocumentCategory;
  folder?: string;
  stay?: string;
  /** French full-text search over titles, metadata and extracted text. */
  q?: string;
  pinned?: boolean;
  cursor?: string;
  limit?: number;
}

/**
 * PATCH /api/patients/:patientId/documents/:documentId — the patient's own organisation of a
 * document; `title` and `category` only for documents they added.
 */
export interface DocumentChange {
  title?: string;
  category?: DocumentCategory;
  folderId?: string | null;
  stayId?: string | null;
  pinned?: boolean;
  masked?: boolean;
  /** Marks the document read (the app sends it when the document is opened). */
  read?: boolean;
}

/**
 * GET …/documents/:documentId/view: a CDA document for reading, as HTML from a whitelist renderer.
 * A level 1 CDA wraps a file (usually a PDF): `embedded` says how to show it, from …/view/embedded.
 */
export interface CdaView {
  html: string;
  embedded: { contentType: string; viewer: DocumentSummary['viewer'] } | null;
}

export interface DocumentFolder {
  id: string;
  name: string;
  documentCount: number;
}

export interface HospitalStay {
  id: string;
  /** "Hospitalisation à l'hôpital X" — the patient's words. */
  label: string;
  start: string;
  end: string | null;
  documentCount: number;
}

/*
 * Routes (all under /api/patients/:patientId, holder only, audited):
 *   GET    /documents                         → DocumentList
 *   POST   /documents?title=&category=&folderId=  body: the file's bytes, Content-Type its declared type
 *                                             → 201 DocumentSummary (415 wrong/forbidden type, 413 too big)
 *   GET    /documents/:documentId             → DocumentSummary
 *   PATCH  /documents/:documentId             DocumentChange → DocumentSummary
 *   DELETE /documents/:documentId             → 204 (only documents the patient added)
 *   GET    /documents/:documentId/content     → the original bytes (Content-Disposition inline; ?download=1 attachment)
 *   GET    /documents/:documentId/view        → CdaView: sanitised HTML of a CDA document
 *   GET    /documents/:documentId/view/embedded → the file a level 1 CDA carries, under its sniffed type
 *   GET/POST /folders, PATCH/DELETE /folders/:folderId   { name }   → DocumentFolder
 *   GET/POST /stays,   PATCH/DELETE /stays/:stayId       { label, start, end } → HospitalStay
 */
