import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import type { AuditRecord } from '../audit/audit.entry.ts';
import type { Database } from '../db/database.ts';
import { CarnetError, notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { type AccessRequest, type Decision, decide } from './policy.ts';

export interface AuthorizeContext {
  db: Kysely<Database>;
  sourceIp?: string;
}

/**
 * Decides a read, writes the decision to the patient's audit chain, and throws when it is denied:
 * another patient's data answers 404 (its existence is not revealed), a refused access to data the
 * actor knows of answers 403. Every route and service reaches health data through here or
 * `authorizeChange`.
 */
export async function authorize(context: AuthorizeContext, request: AccessRequest): Promise<Decision> {
  const decision = decide(request);
  await recordAudit(context.db, auditRecordOf(decision, context.sourceIp));
  if (!decision.permit) throw refusal(decision);
  return decision;
}

/**
 * Decides a change and, when permitted, makes it: the audit entry and the change commit in one
 * transaction, or neither does. A denial is recorded on its own, since nothing else is written.
 */
export async function authorizeChange<T>(
  context: AuthorizeContext,
  request: AccessRequest,
  change: (trx: Kysely<Database>, decision: Decision) => Promise<T>,
): Promise<T> {
  const decision = decide(request);
  const record = auditRecordOf(decision, context.sourceIp);
  if (!decision.permit) {
    await recordAudit(context.db, record);
    throw refusal(decision);
  }
  return context.db.transaction().execute(async (trx) => {
    const result = await change(trx, decision);
    // Last in the transaction: the patient's chain head stays locked for the shortest time.
    await recordAudit(trx, record);
    return result;
  });
}

/** What a record the actor may not know of answers: the same as a record that does not exist. */
export const noSuchRecord = () => notFound('No such patient record, or it is not yours to see.');

const refusal = (decision: Decision) =>
  decision.hideExistence
    ? noSuchRecord()
    : new CarnetError('forbidden', 403, `Access refused (${decision.reason}).`);

function auditRecordOf(decision: Decision, sourceIp: string | undefined): AuditRecord {
  const { request } = decision;
  return {
    patientId: request.patientId,
    actorType: request.actor.kind,
    actorId: actorIdOf(request.actor),
    onBehalfOf: request.onBehalfOf ?? null,
    action: request.action,
    resourceType: request.resource?.type ?? null,
    resourceId: request.resource?.id ?? null,
    // The decision's: `emergency` when it rested on an emergency access.
    purpose: decision.purpose,
    outcome: decision.permit ? 'permit' : 'deny',
    reason: decision.reason,
    sourceIp: sourceIp ?? null,
  };
}

/** The id the access history shows: the national identifier where there is one. */
function actorIdOf(actor: Actor): string {
  switch (actor.kind) {
    case 'professional':
      return `rpps:${actor.rpps}`;
    case 'patient':
    case 'operator':
      return `account:${actor.accountId}`;
  }
}
