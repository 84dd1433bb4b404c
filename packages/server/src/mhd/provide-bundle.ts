import { arrayAt, isDateTime, isObject, objectAt, stringAt } from './json-shape.ts';
import { type ActorFacts, readContainedActor } from './contained-actors.ts';
import { type ParsedDocument, readDocumentReference } from './document-reference.rules.ts';
import type { MhdTerminology } from './mhd-terminology.ts';
import { Problems } from '../documents/filing-problems.ts';
import { type PatientKey, readPatientReference, samePatientKey } from './patient-reference.ts';

/** IHE MHD ITI-65 §2:3.65.4.1.2: the SubmissionSet is the List with this code. */
export const MHD_LIST_TYPES = 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes';
export const SOURCE_ID_EXTENSION = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId';
const AUTHOR_ORG_EXTENSION = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-authorOrg';

/** At most this many entries in one submission (security checklist J2). */
export const MAX_BUNDLE_ENTRIES = 100;

export interface ParseOptions {
  terminology: MhdTerminology;
  maxDocumentBytes: number;
  /** Demo mode: test INS OIDs name test people. */
  acceptTestIns: boolean;
}

export interface ParsedSubmissionSet {
  entryIndex: number;
  fullUrl: string;
  resource: Record<string, unknown>;
  /** The submission's uniqueId (its first identifier), which groups its notifications. */
  uniqueId: string;
  source: ActorFacts | undefined;
}

/** An entry answered without being stored: the Patient that identifies, a PATCH that supersedes. */
export interface PassThroughEntry {
  entryIndex: number;
  kind: 'patient' | 'supersede';
  /** For 'supersede': the stored document's id, which must be the target of a `replaces`. */
  documentId?: string;
}

/** A provide-document bundle that passed every rule that needs no database. */
export interface ParsedSubmission {
  patient: PatientKey;
  /** Where the patient was named first, for a problem about the patient as a whole. */
  patientLocation: string;
  submissionSet: ParsedSubmissionSet;
  documents: ParsedDocument[];
  passThrough: PassThroughEntry[];
  entryCount: number;
}

interface Entry {
  index: number;
  location: string;
  fullUrl: string;
  resourceType: string;
  resource: Record<string, unknown>;
  method: string;
  url: string;
}

/**
 * Reads an ITI-65 Provide Document Bundle (MHD 4.2 / PDSm) and checks everything that does not
 * need the database: the bundle's shape, the SubmissionSet, each DocumentReference against the
 * PDSm profile and the value sets, and each document's bytes against its declared size and hash.
 * Every problem is collected, with its location, before the bundle is refused (422; 400 for a body
 * that is not a transaction Bundle at all).
 */
export function parseProvideBundle(body: unknown, options: ParseOptions): ParsedSubmission {
  const problems = new Problems();
  if (!isObject(body) || body.resourceType !== 'Bundle') {
    problems.add('Bundle', 'The body must be a FHIR Bundle of type transaction (IHE ITI-65).', 'structure');
    problems.throwIfAny();
  }
  const bundle = body as Record<string, unknown>;
  if (bundle.type !== 'transaction') problems.add('Bundle.type', 'An ITI-65 Provide Document Bundle has type "transaction".', 'value');
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0) {
    problems.add('Bundle.entry', 'The bundle has no entries: send the SubmissionSet List, the DocumentReference(s) and their content.', 'required');
    problems.throwIfAny();
  }
  const rawEntries = bundle.entry as unknown[];
  if (rawEntries.length > MAX_BUNDLE_ENTRIES) {
    problems.add('Bundle.entry', `A submission holds at most ${MAX_BUNDLE_ENTRIES} entries; split it.`, 'too-long');
    problems.throwIfAny();
  }

  const entries = readEntries(rawEntries, problems);
  const byFullUrl = new Map(entries.map((e) => [e.fullUrl, e]));
  const byTypeAndId = new Map<string, Entry>(entries.flatMap((e) => (typeof e.resource.id === 'string' ? [[`${e.resourceType}/${e.resource.id}`, e] as const] : [])));
  const resolve = (ref: string | undefined, type: string) => {
    if (ref === undefined) return undefined;
    const entry = byFullUrl.get(ref) ?? byTypeAndId.get(ref);
    return entry?.resourceType === type ? entry : undefined;
  };
  const patientEntries = new Map<string, Entry>(
    entries.filter((e) => e.resourceType === 'Patient').flatMap((e) => [[e.fullUrl, e] as const, ...(typeof e.resource.id === 'string' ? [[`Patient/${e.resource.id}`, e] as const] : [])]),
  );
  const patientContext = { patientEntries, acceptTestIns: options.acceptTestIns };

  // The patient every resource of the submission must name.
  const subjects: { key: PatientKey; location: string }[] = [];
  const noteSubject = (key: PatientKey | undefined, location: string) => {
    if (key !== undefined) subjects.push({ key, location });
  };

  // The SubmissionSet.
  const lists = entries.filter((e) => e.resourceType === 'List');
  const submissionSets = lists.filter((e) => isSubmissionSet(e.resource));
  for (const list of lists) {
    if (!isSubmissionSet(list.resource)) {
      problems.add(`${list.location}.resource.code`, 'Only the SubmissionSet List (code submissionset) is accepted; folders are not supported.', 'not-supported');
    }
  }
  if (submissionSets.length !== 1) {
    problems.add('Bundle.entry', 'The bundle must hold exactly one SubmissionSet: a List with code submissionset (MHDlistTypes).', submissionSets.length === 0 ? 'required' : 'invalid');
  }
  const submissionEntry = submissionSets[0];
  let submissionSet: ParsedSubmissionSet | undefined;
  const listedDocuments = new Set<Entry>();
  if (submissionEntry !== undefined) {
    submissionSet = readSubmissionSet(submissionEntry, problems);
    noteSubject(readPatientReference(submissionEntry.resource.subject, `${submissionEntry.location}.resource.subject`, problems, patientContext), `${submissionEntry.location}.resource.subject`);
    arrayAt(submissionEntry.resource, 'entry').forEach((item, i) => {
      const location = `${submissionEntry.location}.resource.entry[${i}].item`;
      const target = resolve(stringAt(objectAt(item, 'item'), 'reference'), 'DocumentReference');
      if (target === undefined) problems.add(location, 'Each item of the SubmissionSet references a DocumentReference entry of this bundle (by its fullUrl).', 'not-found');
      else listedDocuments.add(target);
    });
  }

  // The documents.
  const documentEntries = entries.filter((e) => e.resourceType === 'DocumentReference');
  if (documentEntries.length === 0) problems.add('Bundle.entry', 'The bundle holds no DocumentReference: nothing to file.', 'required');
  const usedBinaries = new Set<Entry>();
  const documents: ParsedDocument[] = [];
  for (const entry of documentEntries) {
    if (submissionEntry !== undefined && !listedDocuments.has(entry)) {
      problems.add(`${entry.location}.resource`, 'Every DocumentReference is an item of the SubmissionSet.', 'invalid');
    }
    noteSubject(readPatientReference(entry.resource.subject, `${entry.location}.resource.subject`, problems, patientContext), `${entry.location}.resource.subject`);
    const document = readDocumentReference(entry, problems, {
      terminology: options.terminology,
      maxDocumentBytes: options.maxDocumentBytes,
      binary: (ref) => {
        const binary = resolve(ref, 'Binary');
        if (binary === undefined) return undefined;
        if (usedBinaries.has(binary)) return 'shared';
        usedBinaries.add(binary);
        return { location: binary.location, resource: binary.resource };
      },
    });
    if (document !== undefined) documents.push(document);
  }
  const masterIds = new Map<string, string>();
  for (const document of documents) {
    const seen = masterIds.get(document.masterIdentifier);
    if (seen !== undefined) problems.add(document.masterIdentifierLocation, `Two documents of the submission share this masterIdentifier (see ${seen}).`, 'invalid');
    masterIds.set(document.masterIdentifier, document.masterIdentifierLocation);
  }

  for (const entry of entries.filter((e) => e.resourceType === 'Binary')) {
    if (!usedBinaries.has(entry)) problems.add(`${entry.location}`, 'This Binary is the content of no DocumentReference of the bundle.', 'invalid');
  }

  const first = subjects[0];
  for (const subject of subjects.slice(1)) {
    if (first !== undefined && !samePatientKey(first.key, subject.key)) {
      problems.add(subject.location, `Every resource of a submission concerns the same patient (as named at ${first.location}).`, 'invalid');
    }
  }

  const passThrough = readPassThrough(entries, documents, problems);
  problems.throwIfAny();
  return {
    patient: first!.key,
    patientLocation: first!.location,
    submissionSet: submissionSet!,
    documents,
    passThrough,
    entryCount: entries.length,
  };
}

const ACCEPTED_TYPES = new Set(['List', 'DocumentReference', 'Binary', 'Patient', 'Parameters']);

function readEntries(raw: unknown[], problems: Problems): Entry[] {
  const entries: Entry[] = [];
  const fullUrls = new Set<string>();
  raw.forEach((entry, index) => {
    const location = `Bundle.entry[${index}]`;
    if (!isObject(entry)) {
      problems.add(location, 'An entry is an object with fullUrl, resource and request.', 'structure');
      return;
    }
    const fullUrl = stringAt(entry, 'fullUrl');
    if (fullUrl === undefined || fullUrl === '') problems.add(`${location}.fullUrl`, 'Each entry needs a fullUrl (urn:uuid:…) that other entries reference it by.', 'required');
    else if (fullUrls.has(fullUrl)) problems.add(`${location}.fullUrl`, 'Two entries have the same fullUrl.', 'invalid');
    const resource = objectAt(entry, 'resource');
    const resourceType = stringAt(resource, 'resourceType');
    if (resource === undefined || resourceType === undefined) {
      problems.add(`${location}.resource`, 'Each entry carries a resource with a resourceType.', 'required');
      return;
    }
    if (!ACCEPTED_TYPES.has(resourceType)) {
      problems.add(`${location}.resource.resourceType`, 'An ITI-65 submission holds a SubmissionSet List, DocumentReferences, Binaries and optionally the Patient.', 'not-supported');
      return;
    }
    const request = objectAt(entry, 'request');
    const method = stringAt(request, 'method');
    const url = stringAt(request, 'url');
    const expectedMethod = resourceType === 'Parameters' ? 'PATCH' : 'POST';
    if (method !== expectedMethod) {
      problems.add(`${location}.request.method`, resourceType === 'Parameters' ? 'A Parameters entry is a PATCH.' : 'Each resource of the submission is created: request.method is POST.', 'value');
    } else if (expectedMethod === 'POST' && url !== resourceType) {
      problems.add(`${location}.request.url`, `request.url is the resource type (${resourceType}).`, 'value');
    }
    if (fullUrl !== undefined && fullUrl !== '') fullUrls.add(fullUrl);
    entries.push({ index, location, fullUrl: fullUrl ?? `#entry-${index}`, resourceType, resource, method: method ?? '', url: url ?? '' });
  });
  return entries;
}

const isSubmissionSet = (list: Record<string, unknown>) =>
  arrayAt(objectAt(list, 'code'), 'coding').some((c) => stringAt(c, 'system') === MHD_LIST_TYPES && stringAt(c, 'code') === 'submissionset');

function readSubmissionSet(entry: Entry, problems: Problems): ParsedSubmissionSet {
  const list = entry.resource;
  const at = `${entry.location}.resource`;
  if (list.status !== 'current') problems.add(`${at}.status`, 'A SubmissionSet has status "current".', 'value');
  if (list.mode !== 'working') problems.add(`${at}.mode`, 'A SubmissionSet has mode "working".', 'value');
  const date = stringAt(list, 'date');
  if (date === undefined || !isDateTime(date)) problems.add(`${at}.date`, 'The SubmissionSet date (when it was submitted) is required, as a FHIR dateTime.', 'required');
  const identifiers = arrayAt(list, 'identifier');
  const uniqueId = stringAt(identifiers[0], 'value');
  if (uniqueId === undefined || uniqueId === '' || uniqueId.length > 256) {
    problems.add(`${at}.identifier`, 'The SubmissionSet needs its uniqueId as an identifier (at most 256 characters).', 'required');
  }
  const sourceId = arrayAt(list, 'extension').find((x) => stringAt(x, 'url') === SOURCE_ID_EXTENSION);
  if (stringAt(objectAt(sourceId, 'valueIdentifier'), 'value') === undefined) {
    problems.add(`${at}.extension`, 'The SubmissionSet needs the ihe-sourceId extension (the sending system\'s OID).', 'required');
  }
  let source: ActorFacts | undefined;
  const hasAuthorOrg = arrayAt(list, 'extension').some((x) => stringAt(x, 'url') === AUTHOR_ORG_EXTENSION);
  if (list.source !== undefined) {
    const reading = readContainedActor(list.source, arrayAt(list, 'contained'));
    if (reading.ok) source = reading.facts;
    else problems.add(`${at}.source`, reading.problem, 'invalid');
  } else if (!hasAuthorOrg) {
    problems.add(`${at}.source`, 'The SubmissionSet names its author: source (a contained Practitioner or PractitionerRole) or the ihe-authorOrg extension.', 'required');
  }
  return { entryIndex: entry.index, fullUrl: entry.fullUrl, resource: list, uniqueId: uniqueId ?? '', source };
}

/**
 * Patient entries identify the patient and are not stored. A PATCH entry that marks a replaced
 * document superseded (as PDSm's replacement example sends) is accepted when it targets a
 * document the submission replaces: Carnet supersedes it anyway, in the same transaction.
 */
function readPassThrough(entries: Entry[], documents: ParsedDocument[], problems: Problems): PassThroughEntry[] {
  const replaced = new Set(documents.flatMap((d) => (d.replaces === undefined ? [] : [d.replaces.documentId])));
  const result: PassThroughEntry[] = [];
  for (const entry of entries) {
    if (entry.resourceType === 'Patient') result.push({ entryIndex: entry.index, kind: 'patient' });
    if (entry.resourceType !== 'Parameters') continue;
    const match = /^DocumentReference\/([^/?]+)$/.exec(entry.url);
    const documentId = match?.[1]?.toLowerCase();
    if (documentId === undefined || !replaced.has(documentId) || !isSupersedePatch(entry.resource)) {
      problems.add(
        `${entry.location}.request`,
        'A PATCH entry may only mark a document that this submission replaces (relatesTo replaces) as superseded.',
        'not-supported',
      );
      continue;
    }
    result.push({ entryIndex: entry.index, kind: 'supersede', documentId });
  }
  return result;
}

/** FHIRPath Patch (FHIR R4 fhirpatch.html): one replace of DocumentReference.status by superseded. */
function isSupersedePatch(parameters: Record<string, unknown>): boolean {
  const operations = arrayAt(parameters, 'parameter');
  if (operations.length !== 1) return false;
  const parts = new Map(arrayAt(operations[0], 'part').map((p) => [stringAt(p, 'name'), p] as const));
  return (
    stringAt(operations[0], 'name') === 'operation' &&
    stringAt(parts.get('type'), 'valueCode') === 'replace' &&
    stringAt(parts.get('path'), 'valueString') === 'DocumentReference.status' &&
    (stringAt(parts.get('value'), 'valueCode') ?? stringAt(parts.get('value'), 'valueString')) === 'superseded'
  );
}
