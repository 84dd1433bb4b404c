import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Deps } from '../deps.ts';
import type { PatientDocumentTable } from '../documents/patient-document.table.ts';
import { DOCUMENT_SEARCH_VECTOR } from '../documents/document-filing.repository.ts';

/**
 * Puts a document straight into a space's view and file store, as the filing service leaves it,
 * for tests of what the patient app does with documents that are already there.
 */
export async function seedDocument(
  deps: Pick<Deps, 'db' | 'patientFiles'>,
  patientId: string,
  options: Partial<Insertable<PatientDocumentTable>> & { bytes?: Uint8Array } = {},
): Promise<{ documentId: string; fileId: string }> {
  const { bytes = new TextEncoder().encode('Compte rendu.\n'), ...columns } = options;
  const documentId = randomUUID();
  const fileId = randomUUID();
  await deps.patientFiles.putPatientFile(patientId, fileId, bytes);
  await deps.db
    .insertInto('patient_document')
    .values({
      patient_id: patientId,
      document_id: documentId,
      file_id: fileId,
      title: 'Compte rendu de consultation',
      category: 'CPT_REND',
      type_code: '11488-4',
      type_system: 'http://loinc.org',
      type_display: 'Compte rendu de consultation',
      class_code: '10',
      document_date: '2026-01-10T10:00:00Z',
      filer_kind: 'professional',
      filer_id: '10001234565',
      author_name: 'Dr Claire BERNARD',
      organization_name: 'Centre hospitalier de démonstration',
      content_type: 'text/plain',
      size: bytes.length,
      ...columns,
    })
    .execute();
  await deps.db
    .updateTable('patient_document')
    .set({ search_vector: DOCUMENT_SEARCH_VECTOR })
    .where('patient_id', '=', patientId)
    .where('document_id', '=', documentId)
    .execute();
  return { documentId, fileId };
}
