import type { Actor, ProfessionalActor } from './actor.ts';
import { INVISIBLE_TO_PATIENT, MASKED_FROM_PROFESSIONALS } from '../codes/confidentiality.ts';
import { PROFESSION } from '../codes/professions.ts';
import type { SearchRestriction } from '../fhir-store/search-restriction.ts';
import { matrixAllows } from './access-matrix.ts';
import type { CareRelationship, DocumentFacts, EmergencyMode, RecordFacts } from './record-facts.ts';
import { ID_NAT_PS_SYSTEM, PATIENT_FILER_SYSTEM } from './record-facts.ts';
import { documentSearchRestriction } from './search-restrictions.ts';

/**
 * What an actor wants to do to a patient's space. Later features add actions (document types,
 * profile sections…) and the rules that govern them, here and in the test table beside it.
 */
export const ACTIONS = [
  /** The patient's identity and demographics (find a patient by INS, show whose space it is). */
  'patient.read',
  /** The access history (the audit log of the patient's space). */
  'access-history.read',
  /** Who may see what, delegates, notifications: the holder's own choices. */
  'settings.read',
  'settings.write',
  /** One document (its metadata and content): facts = its type, security labels, filer. */
  'document.read',
  /** A search of the patient's documents: permitted with the restriction the store applies. */
  'document.search',
  /** Filing a document (a professional's software, or the patient's own upload). */
  'document.file',
  /** The holder's handling of their documents: mask or unmask, folders, pin, delete their own. */
  'document.manage',
  /** The professionals the holder has a relationship with: blocks, roles, consents, emergency switches. */
  'care-team.read',
  'care-team.write',
  /** A professional declares that the patient consents to their reading the record (R.1111-46). */
  'consent.declare',
  /** A professional opens emergency access (break-the-glass or SAMU regulation). */
  'emergency.access',
] as const;

export type Action = (typeof ACTIONS)[number];

/**
 * Why the actor acts; recorded with every decision and shown in the access history. `emergency`
 * marks a decision that rests on an emergency access (break-the-glass or SAMU regulation).
 */
export type Purpose = 'self-service' | 'care' | 'support' | 'emergency';

/**
 * The purpose an actor acts for by default. A professional's decision that rests on emergency
 * access is recorded with purpose `emergency` instead (`Decision.purpose`).
 */
export function purposeOf(actor: Actor): Purpose {
  switch (actor.kind) {
    case 'patient':
      return 'self-service';
    case 'professional':
      return 'care';
    case 'operator':
      return 'support';
  }
}

export interface AccessRequest {
  actor: Actor;
  /** The person the actor acts for, when not themselves (a delegate or a legal representative). */
  onBehalfOf?: string;
  patientId: string;
  action: Action;
  resource?: { type: string; id?: string };
  purpose: Purpose;
  /** The space and, for a professional, their relationship with the patient (loaded beforehand). */
  facts?: RecordFacts;
  /** `document.read`: the document asked for. */
  document?: DocumentFacts;
  /** `emergency.access`: how the professional asks. */
  emergencyMode?: EmergencyMode;
}

export type ReasonCode =
  | 'own-record'
  | 'not-own-record'
  | 'operator-no-health-data'
  | 'professional-care'
  | 'holder-only'
  /** A professional's decision was asked without the facts it needs: refused, never guessed. */
  | 'facts-missing'
  | 'blocked-by-patient'
  | 'space-not-active'
  /** The document is invisible to the patient until a professional has announced it. */
  | 'hidden-from-patient'
  /** Only a professional declares consent or opens emergency access. */
  | 'professional-only'
  /** The professional filed this document (or, in a search: only their own documents). */
  | 'author'
  /** No consent declaration and no emergency access in force. */
  | 'no-consent'
  | 'consent-declared'
  | 'treating-doctor'
  | 'administrator'
  | 'break-the-glass'
  | 'samu-regulation'
  | 'emergency-refused-by-patient'
  /** SAMU regulation is the regulating physician's (médecin régulateur). */
  | 'regulation-physicians-only'
  /** The profession may not read this document type (access matrix). */
  | 'matrix-denies'
  | 'masked'
  | 'professional-filing';

export interface Decision {
  permit: boolean;
  reason: ReasonCode;
  request: AccessRequest;
  /** The purpose recorded: the request's, or `emergency` when the decision rests on emergency access. */
  purpose: Purpose;
  /**
   * Deny as "not found": the actor may not even learn that the thing exists (another patient's
   * data answers 404, never 403).
   */
  hideExistence: boolean;
  /** `document.search`, when permitted: what the store may return (applied inside the query). */
  restriction?: SearchRestriction;
}

const permit = (
  request: AccessRequest,
  reason: ReasonCode,
  extra: { purpose?: Purpose; restriction?: SearchRestriction } = {},
): Decision => ({
  permit: true,
  reason,
  request,
  purpose: extra.purpose ?? request.purpose,
  hideExistence: false,
  ...(extra.restriction === undefined ? {} : { restriction: extra.restriction }),
});

const deny = (request: AccessRequest, reason: ReasonCode, hideExistence = false): Decision => ({
  permit: false,
  reason,
  request,
  purpose: request.purpose,
  hideExistence,
});

/** The holder's own choices, history and controls are theirs alone, whoever else may read their record. */
const HOLDER_ONLY: ReadonlySet<Action> = new Set<Action>([
  'access-history.read',
  'settings.read',
  'settings.write',
  'care-team.read',
  'care-team.write',
  'document.manage',
]);

/** What only a professional asks for. */
const PROFESSIONAL_ONLY: ReadonlySet<Action> = new Set<Action>(['consent.declare', 'emergency.access']);

/**
 * The one function that decides every access to a patient's data. Pure: no I/O, so that the test
 * table exercises every rule and so that callers must fetch the facts it needs first.
 */
export function decide(request: AccessRequest): Decision {
  const { actor } = request;
  switch (actor.kind) {
    case 'patient':
      if (actor.patientId !== request.patientId) return deny(request, 'not-own-record', true);
      return decideForHolder(request);
    case 'operator':
      // Operator staff run the service; they never see health data or a person's history.
      return deny(request, 'operator-no-health-data', true);
    case 'professional':
      return decideForProfessional(request, actor);
  }
}

/** The patient on their own space: everything, except what a professional has not announced yet. */
function decideForHolder(request: AccessRequest): Decision {
  if (PROFESSIONAL_ONLY.has(request.action)) return deny(request, 'professional-only');
  switch (request.action) {
    case 'document.read':
      if (request.document === undefined) return deny(request, 'facts-missing');
      // Hidden as absent: the patient must not learn of a document pending its announcement.
      if (request.document.securityLabels.includes(INVISIBLE_TO_PATIENT)) return deny(request, 'hidden-from-patient', true);
      return permit(request, 'own-record');
    case 'document.search':
      return permit(request, 'own-record', {
        restriction: { kind: 'token', param: 'security-label', codes: [{ code: INVISIBLE_TO_PATIENT }], negate: true },
      });
    case 'document.file':
      if (request.facts === undefined) return deny(request, 'facts-missing');
      if (request.facts.spaceStatus !== 'active') return deny(request, 'space-not-active');
      return permit(request, 'own-record');
    default:
      return permit(request, 'own-record');
  }
}

/**
 * A professional: never the holder's own controls; nothing at all once blocked (not even their own
 * documents, not even in an emergency); filing without consent; reading after a consent declaration
 * or an emergency access, within the access matrix and the document's confidentiality.
 */
function decideForProfessional(request: AccessRequest, actor: ProfessionalActor): Decision {
  if (HOLDER_ONLY.has(request.action)) return deny(request, 'holder-only');
  const facts = request.facts;
  const care = facts?.care;
  if (facts === undefined || care === undefined) return deny(request, 'facts-missing');
  if (care.blocked) return deny(request, 'blocked-by-patient');
  switch (request.action) {
    case 'patient.read':
      return permit(request, 'professional-care');
    case 'document.file':
      // Writing needs no consultation right (DMP TD0.2), only an open space.
      if (facts.spaceStatus !== 'active') return deny(request, 'space-not-active');
      return permit(request, 'professional-filing');
    case 'consent.declare':
      if (facts.spaceStatus !== 'active') return deny(request, 'space-not-active');
      return permit(request, 'consent-declared');
    case 'emergency.access':
      if (facts.spaceStatus !== 'active') return deny(request, 'space-not-active');
      return decideEmergencyAccess(request, actor, care);
    case 'document.read':
      if (facts.spaceStatus !== 'active') return deny(request, 'space-not-active');
      if (request.document === undefined) return deny(request, 'facts-missing');
      return decideDocumentRead(request, actor, care, request.document);
    case 'document.search':
      if (facts.spaceStatus !== 'active') return deny(request, 'space-not-active');
      return decideDocumentSearch(request, actor, care);
    default:
      return deny(request, 'holder-only');
  }
}

function decideEmergencyAccess(request: AccessRequest, actor: ProfessionalActor, care: CareRelationship): Decision {
  const emergency = { purpose: 'emergency' as const };
  switch (request.emergencyMode) {
    case 'samu-regulation':
      // Nothing in the directory says who works at a regulation centre: the profession is the
      // closest fact, the regulating physician being a médecin.
      if (actor.professionCode !== PROFESSION.medecin) return deny(request, 'regulation-physicians-only');
      if (care.switches.samuRegulation === 'deny') return deny(request, 'emergency-refused-by-patient');
      return permit(request, 'samu-regulation', emergency);
    case 'break-the-glass':
      if (care.switches.breakTheGlass === 'deny') return deny(request, 'emergency-refused-by-patient');
      return permit(request, 'break-the-glass', emergency);
    case undefined:
      return deny(request, 'facts-missing');
  }
}

/** The idNat_PS of a professional, as the `filed-by` extension names them. */
export const filerOfProfessional = (rpps: string) => ({ system: ID_NAT_PS_SYSTEM, value: `8${rpps}` });
/** How a document the patient uploaded names them. */
export const filerOfPatient = (patientId: string) => ({ system: PATIENT_FILER_SYSTEM, value: patientId });

const filedBy = (document: DocumentFacts, actor: ProfessionalActor) =>
  document.filer !== null && document.filer.system === ID_NAT_PS_SYSTEM && document.filer.value === `8${actor.rpps}`;

/**
 * On what the professional reads: the consent declaration first (purpose care), else the
 * emergency access in force (purpose emergency). The treating doctor needs a consent declaration
 * like everyone: R.1111-46 presumes the consent of the care team but still has the professional
 * attest it; only an emergency reads without one.
 */
function readingBasis(care: CareRelationship): { reason: ReasonCode; purpose: Purpose } | undefined {
  if (care.consentDeclaredAt !== null) return { reason: 'consent-declared', purpose: 'care' };
  if (care.emergency !== null) return { reason: care.emergency.mode, purpose: 'emergency' };
  return undefined;
}

/** The treating doctor and administrators see every document, masked or not, whatever the matrix (R14). */
function fullAccessRole(care: CareRelationship): ReasonCode | undefined {
  if (care.roles.includes('MEDECIN_TRAITANT')) return 'treating-doctor';
  if (care.roles.includes('ADMINISTRATEUR')) return 'administrator';
  return undefined;
}

/** In an emergency, masked documents follow the patient's MASKED switch. */
const emergencyShowsMasked = (care: CareRelationship) =>
  care.emergency !== null && care.switches.maskedInEmergency === 'permit';

function decideDocumentRead(
  request: AccessRequest,
  actor: ProfessionalActor,
  care: CareRelationship,
  document: DocumentFacts,
): Decision {
  if (filedBy(document, actor)) return permit(request, 'author');
  const basis = readingBasis(care);
  if (basis === undefined) return deny(request, 'no-consent');
  const role = fullAccessRole(care);
  if (role !== undefined) return permit(request, role, { purpose: basis.purpose });
  // What the actor may not read is absent for them, as in a search (C3: hidden documents absent).
  if (!matrixAllows(care.matrix, document.typeCode, document.classCode)) return deny(request, 'matrix-denies', true);
  if (document.securityLabels.includes(MASKED_FROM_PROFESSIONALS)) {
    if (!emergencyShowsMasked(care)) return deny(request, 'masked', true);
    return permit(request, care.emergency!.mode, { purpose: 'emergency' });
  }
  return permit(request, basis.reason, { purpose: basis.purpose });
}

function decideDocumentSearch(request: AccessRequest, actor: ProfessionalActor, care: CareRelationship): Decision {
  const basis = readingBasis(care);
  const restriction = documentSearchRestriction({
    filer: filerOfProfessional(actor.rpps),
    reading: basis !== undefined,
    fullAccess: fullAccessRole(care) !== undefined,
    matrix: care.matrix,
    showMasked: emergencyShowsMasked(care),
  });
  if (basis === undefined) return permit(request, 'author', { restriction });
  const role = fullAccessRole(care);
  // Masked documents shown only through the emergency switch make the whole search an emergency one.
  const purpose = emergencyShowsMasked(care) && role === undefined ? 'emergency' : basis.purpose;
  return permit(request, role ?? basis.reason, { purpose, restriction });
}
