import { createHash, randomUUID } from 'node:crypto';
import type { DocumentCategory } from '@carnet/shared/documents/patient-documents-api';
import { HL7_CONFIDENTIALITY_SYSTEM } from '../codes/confidentiality.ts';
import { documentTypeOf, PATIENT_CATEGORIES } from '../codes/document-types.ts';
import { sniffDocument } from '../document-content/sniff.ts';
import type { NewDocument } from '../documents/document-filing.ts';

export interface PatientUpload {
  bytes: Uint8Array;
  /** The request's Content-Type: the bytes must agree with it. */
  declaredType: string | undefined;
  title: string;
  category: DocumentCategory;
  folderId: string | undefined;
}

/**
 * A file the holder adds, as the filing service takes it. The type is the one the bytes show
 * (PDF, JPEG, PNG, TIFF, UTF-8 text or RTF; never a CDA, never what the name or the header
 * claims), the size within the limit, else 415 or 413 before anything is stored. The document
 * type is the one Mon espace santé gives a patient's upload of that category (DOCPAT01…, TRE_A05).
 */
export async function patientDocument(upload: PatientUpload, options: { maxBytes: number; now: Date }): Promise<NewDocument> {
  const sniffed = await sniffDocument(upload.bytes, { declaredType: upload.declaredType, maxBytes: options.maxBytes, allowCda: false });
  const type = uploadTypeOf(upload.category);
  const title = upload.title.trim();
  const date = options.now.toISOString();
  const sha1 = createHash('sha1').update(upload.bytes).digest('base64');
  return {
    resource: {
      resourceType: 'DocumentReference',
      type: { coding: [{ system: type.system, code: type.code, display: type.display }] },
      date,
      description: title,
      content: [{ attachment: { contentType: sniffed.contentType, title, creation: date } }],
      context: { period: { start: date } },
      securityLabel: [{ coding: [{ system: HL7_CONFIDENTIALITY_SYSTEM, code: 'N', display: 'Normal' }] }],
    },
    content: { bytes: upload.bytes, contentType: sniffed.contentType, sha1 },
    // A fresh uniqueId (OID under 2.25, ITU-T X.667): the patient's uploads have no sender id.
    masterIdentifier: `2.25.${BigInt(`0x${randomUUID().replaceAll('-', '')}`).toString()}`,
    title,
    type: {
      system: type.system,
      code: type.code,
      display: type.display,
      classSystem: type.classSystem,
      classCode: type.classCode,
      classDisplay: type.classDisplay,
      category: upload.category,
    },
    documentDate: date,
    securityLabels: ['N'],
    authorName: null,
    organizationName: null,
    folderId: upload.folderId ?? null,
  };
}

function uploadTypeOf(category: DocumentCategory) {
  const code = PATIENT_CATEGORIES.find((c) => c.code === category)?.patientUploadTypeCode ?? 'EXPPAT_2';
  const type = documentTypeOf(code) ?? documentTypeOf('EXPPAT_2');
  if (type === undefined) throw new Error(`codes: no JDV_J07 entry for the patient upload type ${code}`);
  return type;
}
