import type { Deps } from '../deps.ts';
import { recordAccountEvent } from '../accounts/account-events.ts';
import { findAccountByLogin } from '../accounts/account.repository.ts';
import { secondFactorsOf, type SecondFactor } from '../accounts/account.service.ts';
import type { AccountKind } from '../accounts/account.table.ts';
import { invalidCredentials } from '../accounts/auth.errors.ts';
import { startSession, type StartedSession } from '../sessions/session.service.ts';
import { assertNotLockedOut, limitSourceAddress, loginKey, normalizeEmail, recordFailure } from './throttle.ts';

export interface PasswordLogin {
  kind: AccountKind;
  email: string;
  password: string;
  sourceAddress: string;
  userAgent: string | undefined;
}

export interface PasswordLoginResult {
  session: StartedSession;
  /** The second factors the account can finish with; empty: it must enrol one now. */
  methods: SecondFactor[];
  accountId: string;
}

/**
 * First step of a local login. The answer to an unknown address is the answer to a wrong
 * password, and costs the same argon2 work (ASVS 5.0 6.3.8). Success opens a session in the
 * 'second-factor' stage: it can confirm the login and nothing else (ASVS 5.0 6.3.3).
 */
export async function loginWithPassword(deps: Deps, login: PasswordLogin): Promise<PasswordLoginResult> {
  await limitSourceAddress(deps, login.sourceAddress);
  const key = loginKey(login.kind, login.email);
  await assertNotLockedOut(deps, key);
  const account = await findAccountByLogin(deps.db, login.kind, normalizeEmail(login.email));
  let valid: boolean;
  if (account?.password_hash == null) {
    await deps.passwordHasher.verify(deps.passwordHasher.dummyHash, login.password);
    valid = false;
  } else {
    valid = await deps.passwordHasher.verify(account.password_hash, login.password);
  }
  if (!valid || account === undefined || account.disabled_at !== null) {
    const { locked } = await recordFailure(deps, key);
    // Recorded for unknown addresses too (in the system chain, without the address), so that
    // both answers cost the same write.
    await recordAccountEvent(deps.db, {
      account: account === undefined ? { unknown: login.kind } : { accountId: account.account_id },
      action: 'login.failed',
      outcome: 'deny',
      reason: locked ? 'invalid-credentials-locked' : 'invalid-credentials',
      sourceIp: login.sourceAddress,
    });
    throw invalidCredentials();
  }
  const session = await startSession(deps, {
    accountId: account.account_id,
    stage: 'second-factor',
    authMethods: ['pwd'],
    userAgent: login.userAgent,
    sourceIp: login.sourceAddress,
  });
  return { session, methods: secondFactorsOf(account), accountId: account.account_id };
}
