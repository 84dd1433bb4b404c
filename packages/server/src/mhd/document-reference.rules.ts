import { createHash } from 'node:crypto';
import { type ActorFacts, readContainedActor } from './contained-actors.ts';
import { arrayAt, type Coding, codingsOf, isDateTime, isObject, objectAt, stringAt } from './json-shape.ts';
import type { DocumentTypeInfo, FormatInfo, MhdTerminology } from './mhd-terminology.ts';
import type { Problems } from '../documents/filing-problems.ts';

/** A DocumentReference of the submission that passed the rules, with its content's bytes. */
export interface ParsedDocument {
  entryIndex: number;
  fullUrl: string;
  location: string;
  /** As sent; the filing service builds the stored resource from it. */
  resource: Record<string, unknown>;
  masterIdentifier: string;
  masterIdentifierLocation: string;
  type: DocumentTypeInfo & { category: string };
  /** JDV_J58 codes (N, R, V, MASQUE_PS, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX). */
  securityLabels: string[];
  title: string;
  /** When it was written: context.period.start (PDSm 1..1), else the attachment's creation. */
  documentDate: string;
  authors: ActorFacts[];
  custodianName: string | undefined;
  content: {
    bytes: Buffer;
    contentType: string;
    /** SHA-1, base64 (FHIR R4 Attachment.hash). */
    hash: string;
    location: string;
    /** The Binary entry holding the bytes, or undefined when they came in attachment.data. */
    binaryEntryIndex: number | undefined;
    format: FormatInfo;
  };
  replaces: { documentId: string; location: string } | undefined;
}

export interface DocumentRulesContext {
  terminology: MhdTerminology;
  maxDocumentBytes: number;
  /** The Binary entry an attachment.url names; 'shared' when another document took it already. */
  binary(ref: string): { location: string; resource: Record<string, unknown> } | 'shared' | undefined;
}

const MAX_TEXT = 1024;

/**
 * The PDSm Comprehensive DocumentReference rules (PDSm_ComprehensiveDocumentReference, MHD 4.2
 * Comprehensive) a filed document must meet, each problem recorded at its location. Returns the
 * document's facts when none was found.
 */
export function readDocumentReference(
  entry: { index: number; location: string; fullUrl: string; resource: Record<string, unknown> },
  problems: Problems,
  context: DocumentRulesContext,
): ParsedDocument | undefined {
  const before = problems.list.length;
  const doc = entry.resource;
  const at = `${entry.location}.resource`;
  const { terminology } = context;

  const masterIdentifier = stringAt(objectAt(doc, 'masterIdentifier'), 'value');
  if (masterIdentifier === undefined || masterIdentifier === '') {
    problems.add(`${at}.masterIdentifier`, 'masterIdentifier (the document\'s uniqueId, e.g. urn:oid:… or urn:uuid:…) is required.', 'required');
  } else if (masterIdentifier.length > 256) {
    problems.add(`${at}.masterIdentifier.value`, 'masterIdentifier is at most 256 characters.', 'too-long');
  }

  if (doc.status !== 'current') problems.add(`${at}.status`, 'A document is filed with status "current".', 'value');
  const date = stringAt(doc, 'date');
  if (date === undefined || !isDateTime(date)) problems.add(`${at}.date`, 'date (when the DocumentReference was made) is required, as a FHIR instant.', 'required');

  // Type (JDV_J07) and class (ASS_X04): the class is derived from the type, so a class that
  // disagrees with it is an error rather than a second opinion.
  const typeCodings = codingsOf(doc.type);
  let type: DocumentTypeInfo | undefined;
  if (typeCodings.length === 0) {
    problems.add(`${at}.type`, 'type (the document type, a LOINC or TRE_A05 code of JDV_J07) is required.', 'required');
  } else {
    type = typeCodings.map((c) => terminology.documentType(c)).find((t) => t !== undefined);
    if (type === undefined) problems.add(`${at}.type.coding[0]`, 'The document type is not in JDV_J07-XdsTypeCode-CISIS.', 'code-invalid');
    else if (type.category === null) problems.add(`${at}.type.coding[0]`, 'Technical documents (class 99) are not filed in a patient\'s space.', 'code-invalid');
  }
  arrayAt(doc, 'category').forEach((category, i) => {
    const codings = codingsOf(category);
    codings.forEach((coding, j) => {
      const location = `${at}.category[${i}].coding[${j}]`;
      if (!terminology.isClassCode(coding)) problems.add(location, 'The class is not in JDV_J06-XdsClassCode-CISIS (TRE_A03).', 'code-invalid');
      else if (type !== undefined && coding.code !== type.classCode) {
        problems.add(location, `This class does not go with the document type: ASS_X04 gives class ${type.classCode} (${type.classDisplay}).`, 'code-invalid');
      }
    });
  });

  // Confidentiality (JDV_J58): exactly one level, and visibility flags.
  const labels = arrayAt(doc, 'securityLabel');
  const securityLabels: string[] = [];
  let levels = 0;
  labels.forEach((label, i) => {
    codingsOf(label).forEach((coding, j) => {
      const kind = terminology.confidentialityKind(coding);
      if (kind === undefined) problems.add(`${at}.securityLabel[${i}].coding[${j}]`, 'The confidentiality code is not in JDV_J58-ConfidentialityCode-DMP.', 'code-invalid');
      else {
        if (kind === 'level') levels++;
        if (!securityLabels.includes(coding.code)) securityLabels.push(coding.code);
      }
    });
  });
  if (levels !== 1) {
    problems.add(`${at}.securityLabel`, 'securityLabel carries exactly one confidentiality level (N, R or V), with any visibility flags (MASQUE_PS, INVISIBLE_PATIENT…).', levels === 0 ? 'required' : 'invalid');
  }

  // Context: when, where, in which setting.
  const contextAt = `${at}.context`;
  const periodStart = stringAt(objectAt(objectAt(doc, 'context'), 'period'), 'start');
  if (periodStart === undefined || !isDateTime(periodStart)) {
    problems.add(`${contextAt}.period.start`, 'context.period.start (when the act took place) is required, as a FHIR dateTime.', 'required');
  }
  checkCode(objectAt(objectAt(doc, 'context'), 'facilityType'), `${contextAt}.facilityType`, 'context.facilityType (JDV_J02 healthcare facility type)', (c) => terminology.isFacilityType(c), problems);
  checkCode(objectAt(objectAt(doc, 'context'), 'practiceSetting'), `${contextAt}.practiceSetting`, 'context.practiceSetting (JDV_J04 practice setting)', (c) => terminology.isPracticeSetting(c), problems);

  // Authors and custodian, contained (PDSm: contained 1..*, author 1..*, custodian 1..1).
  const contained = arrayAt(doc, 'contained');
  if (contained.length === 0) problems.add(`${at}.contained`, 'The authors are contained resources: contained is required (PDSm).', 'required');
  const authors: ActorFacts[] = [];
  const authorRefs = arrayAt(doc, 'author');
  if (authorRefs.length === 0) problems.add(`${at}.author`, 'At least one author is required: a reference to a contained Practitioner or PractitionerRole.', 'required');
  authorRefs.forEach((ref, i) => {
    const reading = readContainedActor(ref, contained);
    if (reading.ok) authors.push(reading.facts);
    else problems.add(`${at}.author[${i}]`, reading.problem, 'invalid');
  });
  if (authorRefs.length > 0 && authors.length === authorRefs.length && !authors.some((a) => a.rpps !== undefined)) {
    problems.add(`${at}.author`, 'At least one author is a professional identified by RPPS (idNat_PS urn:oid:1.2.250.1.71.4.2.1 = "8" + RPPS, with a valid key).', 'required');
  }
  let custodianName: string | undefined;
  const custodian = objectAt(doc, 'custodian');
  if (custodian === undefined) {
    problems.add(`${at}.custodian`, 'custodian (the organisation responsible for the document) is required.', 'required');
  } else if (stringAt(custodian, 'reference') !== undefined) {
    const reading = readContainedActor(custodian, contained);
    if (!reading.ok) problems.add(`${at}.custodian`, reading.problem, 'invalid');
    else custodianName = reading.facts.organizationName ?? reading.facts.name;
  } else if (objectAt(custodian, 'identifier') === undefined) {
    problems.add(`${at}.custodian`, 'custodian needs a contained Organization reference or an identifier (FINESS).', 'required');
  } else {
    custodianName = stringAt(custodian, 'display');
  }

  // Replacement.
  let replaces: ParsedDocument['replaces'];
  arrayAt(doc, 'relatesTo').forEach((relation, i) => {
    const location = `${at}.relatesTo[${i}]`;
    if (stringAt(relation, 'code') !== 'replaces') {
      problems.add(`${location}.code`, 'Only replacement (relatesTo.code "replaces") is supported.', 'not-supported');
      return;
    }
    const target = /^DocumentReference\/([0-9a-f-]{36})$/i.exec(stringAt(objectAt(relation, 'target'), 'reference') ?? '');
    if (target === null) {
      problems.add(`${location}.target`, 'The replaced document is named DocumentReference/<id>, its id on this server.', 'invalid');
    } else if (replaces !== undefined) {
      problems.add(location, 'A document replaces one document.', 'invalid');
    } else {
      replaces = { documentId: target[1]!.toLowerCase(), location: `${location}.target` };
    }
  });

  const content = readContent(doc, at, problems, context);
  const attachment = objectAt(arrayAt(doc, 'content')[0], 'attachment');
  const title = stringAt(attachment, 'title') ?? '';
  const description = stringAt(doc, 'description');
  if (description !== undefined && description.length > MAX_TEXT) problems.add(`${at}.description`, `description is at most ${MAX_TEXT} characters.`, 'too-long');

  if (problems.list.length > before) return undefined;
  return {
    entryIndex: entry.index,
    fullUrl: entry.fullUrl,
    location: entry.location,
    resource: doc,
    masterIdentifier: masterIdentifier!,
    masterIdentifierLocation: `${at}.masterIdentifier`,
    type: type as DocumentTypeInfo & { category: string },
    securityLabels,
    title,
    documentDate: periodStart!,
    authors,
    custodianName,
    content: content!,
    replaces,
  };
}

function checkCode(concept: unknown, location: string, name: string, inValueSet: (c: Coding) => boolean, problems: Problems) {
  const codings = codingsOf(concept);
  if (codings.length === 0) problems.add(location, `${name} is required.`, 'required');
  else if (!codings.some(inValueSet)) problems.add(`${location}.coding[0]`, `The code is not in the value set of ${name}.`, 'code-invalid');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes base64 (FHIR base64Binary), or undefined when it is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n ]/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

export const sha1Base64 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('base64');

/**
 * One content per document (what Carnet stores and serves), its bytes from the Binary entry its
 * url names or from attachment.data, and the declared size, hash and type checked against them.
 */
function readContent(doc: Record<string, unknown>, at: string, problems: Problems, context: DocumentRulesContext): ParsedDocument['content'] | undefined {
  const contents = arrayAt(doc, 'content');
  if (contents.length !== 1) {
    problems.add(`${at}.content`, 'A DocumentReference carries exactly one content (one document); send another DocumentReference for another file.', contents.length === 0 ? 'required' : 'not-supported');
    return undefined;
  }
  const location = `${at}.content[0].attachment`;
  const attachment = objectAt(contents[0], 'attachment');
  if (attachment === undefined) {
    problems.add(location, 'content.attachment is required.', 'required');
    return undefined;
  }
  const before = problems.list.length;
  const contentType = stringAt(attachment, 'contentType');
  if (contentType === undefined || !/^[a-z]+\/[a-z0-9.+-]+$/i.test(contentType)) problems.add(`${location}.contentType`, 'attachment.contentType (the MIME type) is required.', 'required');
  const title = stringAt(attachment, 'title');
  if (title === undefined || title.trim() === '') problems.add(`${location}.title`, 'attachment.title (the document\'s title) is required (PDSm).', 'required');
  else if (title.length > 500) problems.add(`${location}.title`, 'attachment.title is at most 500 characters.', 'too-long');
  const language = stringAt(attachment, 'language');
  if (language !== 'fr-FR') problems.add(`${location}.language`, 'attachment.language is "fr-FR" for documents produced in France (PDSm).', language === undefined ? 'required' : 'value');
  const creation = stringAt(attachment, 'creation');
  if (creation !== undefined && !isDateTime(creation)) problems.add(`${location}.creation`, 'attachment.creation is a FHIR dateTime.', 'value');
  const formatCoding = objectAt(contents[0], 'format');
  const formatCode = stringAt(formatCoding, 'code');
  const format = formatCode === undefined ? undefined : context.terminology.formatOf({ system: stringAt(formatCoding, 'system'), code: formatCode, display: undefined });
  if (formatCode === undefined) problems.add(`${at}.content[0].format`, 'content.format (the JDV_J60 format code) is required.', 'required');
  else if (format === undefined) problems.add(`${at}.content[0].format`, 'The format code is not in JDV_J60-FormatCode-DMP.', 'code-invalid');

  // The bytes.
  let bytes: Buffer | undefined;
  let binaryEntryIndex: number | undefined;
  const url = stringAt(attachment, 'url');
  const data = stringAt(attachment, 'data');
  if ((url === undefined) === (data === undefined)) {
    problems.add(location, 'The content is either attachment.url (the fullUrl of a Binary entry) or attachment.data, not both.', 'invalid');
  } else if (data !== undefined) {
    bytes = decodeBase64(data);
    if (bytes === undefined) problems.add(`${location}.data`, 'attachment.data is not base64.', 'value');
  } else {
    const binary = context.binary(url!);
    if (binary === undefined) problems.add(`${location}.url`, 'attachment.url names no Binary entry of this bundle (use the Binary entry\'s fullUrl).', 'not-found');
    else if (binary === 'shared') problems.add(`${location}.url`, 'Two documents name the same Binary: each document has its own content.', 'invalid');
    else {
      binaryEntryIndex = Number(/\[(\d+)\]$/.exec(binary.location)?.[1]);
      const binaryType = stringAt(binary.resource, 'contentType');
      if (binaryType === undefined) problems.add(`${binary.location}.resource.contentType`, 'Binary.contentType is required.', 'required');
      else if (contentType !== undefined && binaryType.toLowerCase() !== contentType.toLowerCase()) {
        problems.add(`${binary.location}.resource.contentType`, 'Binary.contentType differs from the attachment.contentType of its DocumentReference.', 'value');
      }
      const binaryData = stringAt(binary.resource, 'data');
      bytes = binaryData === undefined ? undefined : decodeBase64(binaryData);
      if (bytes === undefined) problems.add(`${binary.location}.resource.data`, 'Binary.data (the document, base64) is required.', binaryData === undefined ? 'required' : 'value');
    }
  }
  const size = attachment.size;
  if (bytes !== undefined && bytes.length === 0) problems.add(location, 'The document is empty.', 'value');
  if (bytes !== undefined && bytes.length > context.maxDocumentBytes) {
    problems.add(location, `The document is larger than the limit of ${context.maxDocumentBytes} bytes.`, 'too-long');
  }
  if (size === undefined) problems.add(`${location}.size`, 'attachment.size (the number of bytes) is required (PDSm).', 'required');
  else if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) problems.add(`${location}.size`, 'attachment.size is a whole number of bytes.', 'value');
  else if (bytes !== undefined && size !== bytes.length) problems.add(`${location}.size`, 'attachment.size is not the size of the content sent.', 'value');
  const hash = stringAt(attachment, 'hash');
  const actualHash = bytes === undefined ? undefined : sha1Base64(bytes);
  if (hash === undefined) problems.add(`${location}.hash`, 'attachment.hash (SHA-1 of the content, base64) is required (PDSm).', 'required');
  else if (actualHash !== undefined && hash !== actualHash) {
    problems.add(`${location}.hash`, 'attachment.hash is not the SHA-1 (base64) of the content sent.', 'value');
  }
  if (problems.list.length > before || bytes === undefined || !isObject(attachment)) return undefined;
  return { bytes, contentType: contentType!.toLowerCase(), hash: actualHash!, location, binaryEntryIndex, format: format! };
}
