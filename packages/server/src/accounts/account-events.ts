import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import type { Database } from '../db/database.ts';
import type { AccountKind } from './account.table.ts';
import { findAccountSubject } from './account-events.repository.ts';

/** What happens to an account, as its history shows it. */
export type AccountEventAction =
  | 'login'
  | 'login.failed'
  | 'logout'
  | 'session.end'
  | 'password.change'
  | 'password.reset'
  | 'second-factor.enrol'
  | 'identity.link';

export interface AccountEvent {
  /** The account, or, for a login refused to an address no account uses, the kind tried. */
  account: { accountId: string } | { unknown: AccountKind };
  action: AccountEventAction;
  outcome: 'permit' | 'deny';
  /** Why: the methods of a login, the reason a login failed or a session ended. */
  reason: string;
  /** The session concerned, when there is one. */
  sessionId?: string;
  sourceIp: string;
}

/**
 * Writes an account's security event to the audit log: into the chain of the space a patient's
 * account holds (so that the patient sees every login to their space in its history), into the
 * system chain for professionals, operators and unknown addresses. Pass the transaction that makes
 * the change, as for every audit entry. No e-mail address is ever recorded.
 */
export async function recordAccountEvent(db: Kysely<Database>, event: AccountEvent): Promise<void> {
  let kind: AccountKind;
  let patientId: string | null = null;
  let actorId: string;
  if ('accountId' in event.account) {
    const subject = await findAccountSubject(db, event.account.accountId);
    if (subject === undefined) throw new Error('recordAccountEvent: the account does not exist');
    ({ kind, patientId } = subject);
    actorId = `account:${event.account.accountId}`;
  } else {
    kind = event.account.unknown;
    actorId = 'account:unknown';
  }
  await recordAudit(db, {
    patientId: kind === 'patient' ? patientId : null,
    actorType: kind,
    actorId,
    action: event.action,
    resourceType: event.sessionId === undefined ? 'Account' : 'Session',
    resourceId: event.sessionId ?? null,
    outcome: event.outcome,
    reason: event.reason,
    sourceIp: event.sourceIp,
  });
}
