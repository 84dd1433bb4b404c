import type { Kysely } from 'kysely';
import { type LoadedRecordFacts, loadRecordFacts } from '../care-team/record-facts.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { Actor } from '../policy/actor.ts';
import { authorize, authorizeChange, noSuchRecord } from '../policy/authorize.ts';
import { type AccessRequest, type Action, type Decision, purposeOf } from '../policy/policy.ts';
import type { DocumentFacts, EmergencyMode } from '../policy/record-facts.ts';

/** Who asks, from where: what every service needs to ask the policy module and to audit. */
export interface AccessContext {
  db: Kysely<Database>;
  actor: Actor;
  sourceIp?: string;
  /** The time emergency accesses are measured by (the app's clock); the system clock if unset. */
  clock?: Clock;
}

/** The time of the request, by the app's clock (tests move it), else the system's. */
export const nowOf = (context: Pick<AccessContext, 'clock'>): Date => context.clock?.now() ?? new Date();

export interface RecordAccess {
  patientId: string;
  action: Action;
  resource?: { type: string; id?: string };
  /** `document.read`: the document's type, security labels and filer. */
  document?: DocumentFacts;
  /** `emergency.access`: how the professional asks. */
  emergencyMode?: EmergencyMode;
}

/**
 * The facts a decision on this space needs (its status; for a professional, the relationship the
 * patient set with them), in one query. A space that does not exist answers exactly as one the
 * actor may not know of (404), and is not audited: there is no patient to tell, and a made-up id
 * must not start an audit chain.
 */
export async function loadFactsOnRecord(context: AccessContext, patientId: string): Promise<LoadedRecordFacts> {
  const facts = await loadRecordFacts(context.db, patientId, context.actor, nowOf(context));
  if (facts === undefined) throw noSuchRecord();
  return facts;
}

/** The policy request of an access, with the facts it is decided on. */
export const policyRequest = (context: AccessContext, access: RecordAccess, facts: LoadedRecordFacts): AccessRequest => ({
  ...access,
  actor: context.actor,
  purpose: purposeOf(context.actor),
  facts,
});

/** Asks the policy module for an access to one patient's space, and audits the decision. */
export async function authorizeOnRecord(context: AccessContext, access: RecordAccess): Promise<Decision> {
  const facts = await loadFactsOnRecord(context, access.patientId);
  return authorize(context, policyRequest(context, access, facts));
}

/** The same, for a service that has just read the patient's row (the facts are still loaded). */
export function authorizeOnFoundRecord(context: AccessContext, access: RecordAccess): Promise<Decision> {
  return authorizeOnRecord(context, access);
}

/** The same for a change, made in the transaction of its audit entry (see `authorizeChange`). */
export async function authorizeChangeOnRecord<T>(
  context: AccessContext,
  access: RecordAccess,
  change: (trx: Kysely<Database>, decision: Decision) => Promise<T>,
): Promise<T> {
  const facts = await loadFactsOnRecord(context, access.patientId);
  return authorizeChange(context, policyRequest(context, access, facts), change);
}
