import type { ColumnType, Generated } from 'kysely';

/** The patient's view of a document (migration 0012), kept beside its DocumentReference. */
export interface PatientDocumentTable {
  patient_id: string;
  document_id: string;
  file_id: string;
  title: string;
  category: string;
  type_code: string;
  type_system: string;
  type_display: string;
  class_code: string | null;
  document_date: ColumnType<Date, Date | string, Date | string>;
  filed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  filer_kind: 'professional' | 'patient';
  filer_id: string;
  author_name: string | null;
  organization_name: string | null;
  content_type: string;
  size: ColumnType<string, number | string, number | string>;
  confidentiality: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<'current' | 'superseded' | 'entered-in-error'>;
  archived: Generated<boolean>;
  folder_id: string | null;
  stay_id: string | null;
  pinned: Generated<boolean>;
  read_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  extracted_text: string | null;
  search_vector: ColumnType<string, string | undefined, string>;
}

export interface DocumentFolderTable {
  patient_id: string;
  folder_id: string;
  name: string;
  created_at: Generated<Date>;
}

export interface HospitalStayTable {
  patient_id: string;
  stay_id: string;
  label: string;
  start_date: string;
  end_date: string | null;
  created_at: Generated<Date>;
}
