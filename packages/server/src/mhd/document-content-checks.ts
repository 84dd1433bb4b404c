import { crossCheckCda } from '../document-content/cda-cross-check.ts';
import { sniffDocument } from '../document-content/sniff.ts';
import type { CarnetError } from '../errors.ts';
import type { Problems } from '../documents/filing-problems.ts';
import type { ParsedDocument } from './document-reference.rules.ts';
import { arrayAt, objectAt, stringAt } from './json-shape.ts';

/** What the bytes turned out to be: the type stored and served. */
export interface CheckedContent {
  contentType: string;
}

/**
 * Checks a document's bytes beyond size and hash: the type is sniffed, never believed (security
 * checklist F2), and must be the declared one; a CDA R2 document is parsed safely and its header
 * cross-checked with the DocumentReference (patient, type, uniqueId, confidentiality); the format
 * code must fit what the bytes are. Problems are added at the DocumentReference's locations.
 */
export async function checkDocumentContent(
  document: ParsedDocument,
  patientIns: { oid: string; matricule: string },
  problems: Problems,
  options: { maxDocumentBytes: number },
): Promise<CheckedContent | undefined> {
  const at = `${document.location}.resource`;
  let sniffed;
  try {
    sniffed = await sniffDocument(document.content.bytes, { declaredType: document.content.contentType, maxBytes: options.maxDocumentBytes, allowCda: true });
  } catch (error) {
    const carnetError = error as CarnetError;
    if (carnetError.status === undefined || carnetError.status >= 500) throw error;
    const cda = carnetError.code === 'invalid_cda';
    problems.add(`${document.content.location}${cda ? '' : '.contentType'}`, cda ? `The CDA document is refused: ${carnetError.message}` : carnetError.message, cda ? 'invalid' : 'value');
    return undefined;
  }
  const format = document.content.format;
  const formatAt = `${at}.content[0].format`;
  if (sniffed.cda === undefined) {
    if (format.kind === 'cda-n3') problems.add(formatAt, 'This format code is a structured CDA document (N3); the content is not CDA.', 'value');
    else if (format.mimeType !== undefined && format.mimeType !== sniffed.contentType) {
      problems.add(formatAt, `This format code is for ${format.mimeType} documents; the content is ${sniffed.contentType}.`, 'value');
    }
    return { contentType: sniffed.contentType };
  }
  const cda = sniffed.cda;
  if (format.kind === 'cda-n1' && cda.body.level !== 'N1') problems.add(formatAt, 'This format code is a CDA N1 (a wrapped file); the CDA has a structured body.', 'value');
  if (format.kind === 'cda-n1' && cda.body.level === 'N1' && format.mimeType !== undefined && format.mimeType !== cda.body.mediaType) {
    problems.add(formatAt, `This format code wraps ${format.mimeType}; the CDA wraps ${cda.body.mediaType}.`, 'value');
  }
  if (format.kind === 'cda-n3' && cda.body.level !== 'N3') problems.add(formatAt, 'This format code is a structured CDA (N3); the CDA wraps a file (N1).', 'value');
  const resource = document.resource;
  const typeCoding = arrayAt(objectAt(resource, 'type'), 'coding')[0];
  const mismatches = crossCheckCda(cda, {
    patientIns,
    typeCode: { system: document.type.system, code: stringAt(typeCoding, 'code') ?? document.type.code },
    securityLabels: document.securityLabels,
    authorRpps: document.authors.flatMap((a) => (a.rpps === undefined ? [] : [a.rpps])),
    masterIdentifier: {
      ...(stringAt(objectAt(resource, 'masterIdentifier'), 'system') === undefined ? {} : { system: stringAt(objectAt(resource, 'masterIdentifier'), 'system')! }),
      value: document.masterIdentifier,
    },
  });
  for (const mismatch of mismatches) {
    if (mismatch.severity !== 'error') continue;
    problems.add(`${at}${mismatch.location.slice('DocumentReference'.length)}`, `The CDA header disagrees: ${mismatch.message}`, 'value');
  }
  return { contentType: sniffed.contentType };
}
