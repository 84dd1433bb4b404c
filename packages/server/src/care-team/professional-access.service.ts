import { randomUUID } from 'node:crypto';
import { badRequest } from '../errors.ts';
import { enqueueNotification } from '../notifications/notifications.ts';
import { type AccessContext, authorizeChangeOnRecord, nowOf } from '../patients/patient-access.ts';
import type { EmergencyMode } from '../policy/record-facts.ts';
import { insertEmergencyAccess, saveConsentDeclaration } from './care-team.repository.ts';

/**
 * What a professional declares to read a patient's record: that the patient consents (R.1111-46),
 * or an emergency (break-the-glass, or the SAMU regulation centre). Each is decided by the policy,
 * recorded with its audit entry, and the patient is told by e-mail (enqueued in the same
 * transaction: no notification for what did not happen).
 */

const professionalOf = (context: AccessContext) => {
  if (context.actor.kind !== 'professional') return undefined;
  return context.actor;
};

export interface ConsentDeclaration {
  declaredAt: string;
}

/** Records that the patient consents to this professional reading their record. */
export async function declareConsent(context: AccessContext, patientId: string): Promise<ConsentDeclaration> {
  const declaredAt = nowOf(context);
  await authorizeChangeOnRecord(context, { patientId, action: 'consent.declare', resource: { type: 'Consent' } }, async (trx) => {
    // The policy permits only a professional; the guard keeps the types honest.
    const professional = professionalOf(context);
    if (professional === undefined) return;
    await saveConsentDeclaration(trx, patientId, professional.rpps, declaredAt);
    await enqueueNotification(trx, { patientId, kind: 'consent-declared', dedupeKey: `consent/${professional.rpps}` });
  });
  return { declaredAt: declaredAt.toISOString() };
}

/** A break-the-glass reason must say what the emergency is: a few words, not a placeholder. */
export const MIN_REASON_LENGTH = 15;
export const MAX_REASON_LENGTH = 500;

export interface EmergencyAccessRequest {
  mode: EmergencyMode;
  reason?: string | undefined;
}

export interface EmergencyAccessGranted {
  id: string;
  mode: EmergencyMode;
  startedAt: string;
  expiresAt: string;
}

/**
 * Opens an emergency access for `durationMinutes`: refused when the patient's matching switch
 * denies it (and always to a blocked professional). The decision is audited with purpose
 * `emergency`, and so is every read it allows until it expires.
 */
export async function openEmergencyAccess(
  context: AccessContext,
  patientId: string,
  request: EmergencyAccessRequest,
  durationMinutes: number,
): Promise<EmergencyAccessGranted> {
  const reason = normalizeReason(request);
  const startedAt = nowOf(context);
  const expiresAt = new Date(startedAt.getTime() + durationMinutes * 60_000);
  const id = randomUUID();
  await authorizeChangeOnRecord(
    context,
    { patientId, action: 'emergency.access', resource: { type: 'EmergencyAccess', id }, emergencyMode: request.mode },
    async (trx) => {
      const professional = professionalOf(context);
      if (professional === undefined) return;
      await insertEmergencyAccess(trx, { patientId, id, rpps: professional.rpps, mode: request.mode, reason, startedAt, expiresAt });
      await enqueueNotification(trx, { patientId, kind: 'emergency-access', dedupeKey: `emergency/${id}` });
    },
  );
  return { id, mode: request.mode, startedAt: startedAt.toISOString(), expiresAt: expiresAt.toISOString() };
}

/**
 * The reason as stored: required for break-the-glass (the professional justifies an access the
 * patient could not consent to), optional for the SAMU, whose regulation call is the justification.
 */
function normalizeReason(request: EmergencyAccessRequest): string | null {
  const reason = request.reason?.replace(/\s+/g, ' ').trim() ?? '';
  if (reason.length > MAX_REASON_LENGTH) throw badRequest(`The reason must be at most ${MAX_REASON_LENGTH} characters.`, 'reason');
  if (request.mode === 'samu-regulation') return reason === '' ? null : reason;
  const words = reason.split(' ').filter((w) => /\p{L}{2,}/u.test(w));
  if (reason.length < MIN_REASON_LENGTH || words.length < 3 || new Set(reason.toLowerCase()).size < 5) {
    throw badRequest(
      `Break-the-glass needs a written reason: describe the emergency in a few words (at least ${MIN_REASON_LENGTH} characters), e.g. "patient inconscient aux urgences, recherche d'antécédents".`,
      'reason',
    );
  }
  return reason;
}
