import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Actor } from '../policy/actor.ts';
import { authorize, authorizeChange, noSuchRecord } from '../policy/authorize.ts';
import { type Action, type Decision, purposeOf } from '../policy/policy.ts';
import { patientExists } from './patients.repository.ts';

/** Who asks, from where: what every service needs to ask the policy module and to audit. */
export interface AccessContext {
  db: Kysely<Database>;
  actor: Actor;
  sourceIp?: string;
}

export interface RecordAccess {
  patientId: string;
  action: Action;
  resource?: { type: string; id?: string };
}

const policyRequest = (context: AccessContext, access: RecordAccess) => ({
  ...access,
  actor: context.actor,
  purpose: purposeOf(context.actor),
});

/**
 * Asks the policy module for an access to one patient's space, and audits the decision. A space
 * that does not exist answers exactly as one the actor may not know of (404), and is not audited:
 * there is no patient to tell, and a made-up id must not start an audit chain.
 */
export async function authorizeOnRecord(context: AccessContext, access: RecordAccess): Promise<Decision> {
  if (!(await patientExists(context.db, access.patientId))) throw noSuchRecord();
  return authorizeOnFoundRecord(context, access);
}

/** The same, for a service that has just read the patient's row and so knows the space exists. */
export function authorizeOnFoundRecord(context: AccessContext, access: RecordAccess): Promise<Decision> {
  return authorize(context, policyRequest(context, access));
}

/** The same for a change, made in the transaction of its audit entry (see `authorizeChange`). */
export async function authorizeChangeOnRecord<T>(
  context: AccessContext,
  access: RecordAccess,
  change: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (!(await patientExists(context.db, access.patientId))) throw noSuchRecord();
  return authorizeChange(context, policyRequest(context, access), change);
}
