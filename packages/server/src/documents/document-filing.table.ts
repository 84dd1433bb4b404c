import type { ColumnType } from 'kysely';

/** A file written (or about to be) to the blob store whose document is not committed yet (migration 0014). */
export interface DocumentFileIntentTable {
  patient_id: string;
  file_id: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** Columns migration 0014 adds to patient_document (patient-document.table.ts has the others). */
export interface PatientDocumentFilingColumns {
  /** DocumentReference.masterIdentifier.value: the document's uniqueId, unique per space. */
  master_identifier: string | null;
  /** SHA-1 of the content, base64 (DocumentReference.content.attachment.hash). */
  content_sha1: string | null;
}
