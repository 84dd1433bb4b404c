import type { Actor } from './actor.ts';

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
] as const;

export type Action = (typeof ACTIONS)[number];

/** Why the actor acts; recorded with every decision and shown in the access history. */
export type Purpose = 'self-service' | 'care' | 'support';

/**
 * The purpose an actor acts for. Each kind of actor has one today; break-glass access (purpose
 * "emergency", declared by the professional) will be the first to choose.
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
}

export type ReasonCode =
  | 'own-record'
  | 'not-own-record'
  | 'operator-no-health-data'
  | 'professional-care'
  | 'holder-only';

export interface Decision {
  permit: boolean;
  reason: ReasonCode;
  request: AccessRequest;
  /**
   * Deny as "not found": the actor may not even learn that the thing exists (another patient's
   * data answers 404, never 403).
   */
  hideExistence: boolean;
}

const permit = (request: AccessRequest, reason: ReasonCode): Decision => ({
  permit: true,
  reason,
  request,
  hideExistence: false,
});

const deny = (request: AccessRequest, reason: ReasonCode, hideExistence = false): Decision => ({
  permit: false,
  reason,
  request,
  hideExistence,
});

/** The holder's own choices and history are theirs alone, whoever else may read their record. */
const HOLDER_ONLY: ReadonlySet<Action> = new Set(['access-history.read', 'settings.read', 'settings.write']);

/**
 * The one function that decides every access to a patient's data. Pure: no I/O, so that the test
 * table exercises every rule and so that callers must fetch the facts it needs first.
 */
export function decide(request: AccessRequest): Decision {
  const { actor } = request;
  switch (actor.kind) {
    case 'patient':
      if (actor.patientId !== request.patientId) return deny(request, 'not-own-record', true);
      return permit(request, 'own-record');
    case 'operator':
      // Operator staff run the service; they never see health data or a person's history.
      return deny(request, 'operator-no-health-data', true);
    case 'professional':
      if (HOLDER_ONLY.has(request.action)) return deny(request, 'holder-only');
      // Basic case: a professional caring for the patient. Document confidentiality, blocking,
      // the treating doctor and the access matrix by profession come with the documents module.
      return permit(request, 'professional-care');
  }
}
