import type { Deps } from '../deps.ts';
import { findAccount, findAccountByLogin, setPassword } from '../accounts/account.repository.ts';
import { assertAcceptablePassword } from '../accounts/account.service.ts';
import type { AccountKind } from '../accounts/account.table.ts';
import { recordAccountEvent } from '../accounts/account-events.ts';
import { resetLinkInvalid } from '../accounts/auth.errors.ts';
import { endAllSessionsIn } from '../sessions/session.service.ts';
import { newToken, tokenHash } from '../sessions/token.ts';
import { passwordResetMail } from './login-mails.ts';
import { findUsableReset, insertPasswordReset, retireResets, useReset } from './password-reset.repository.ts';
import { allowResetEmail, clearFailures, limitSourceAddress, loginKey, normalizeEmail } from './throttle.ts';

export const RESET_LINK_MINUTES = 30;

/** Web app page that reads the token from the fragment, which never reaches a server log. */
export const RESET_PAGE = '/nouveau-mot-de-passe';

/**
 * Asks for a reset link. The caller answers the same whether or not the account exists
 * (ASVS 5.0 6.3.8): the mail is sent in the background, so its delay tells nothing either.
 * Returns the delivery, for the caller to log a failure without waiting for it.
 */
export async function requestPasswordReset(
  deps: Deps,
  request: { kind: AccountKind; email: string; sourceAddress: string },
): Promise<{ delivery: Promise<void> | undefined }> {
  await limitSourceAddress(deps, request.sourceAddress);
  if (!(await allowResetEmail(deps, request.kind, request.email))) return { delivery: undefined };
  const account = await findAccountByLogin(deps.db, request.kind, normalizeEmail(request.email));
  if (account === undefined || account.disabled_at !== null) return { delivery: undefined };
  const token = newToken();
  const now = deps.clock.now();
  await insertPasswordReset(deps.db, {
    token_hash: tokenHash(token),
    account_id: account.account_id,
    created_at: now,
    expires_at: new Date(now.getTime() + RESET_LINK_MINUTES * 60_000),
    used_at: null,
  });
  const link = `${deps.config.baseUrl}${RESET_PAGE}#jeton=${token}`;
  return { delivery: deps.mailer.send(passwordResetMail(account.email, link, RESET_LINK_MINUTES)) };
}

/**
 * Sets a new password from a reset link: single use, expiring, policy-checked. Every session of
 * the account ends (ASVS 5.0 7.4.3) and a lockout is lifted: a reset is how the owner recovers
 * from one (ASVS 5.0 6.3.1). The second factor is untouched: the next login still asks for it.
 */
export async function resetPassword(
  deps: Deps,
  request: { token: string; newPassword: string; sourceAddress: string },
): Promise<void> {
  await limitSourceAddress(deps, request.sourceAddress);
  const hash = tokenHash(request.token);
  const now = deps.clock.now();
  const reset = await findUsableReset(deps.db, hash, now);
  const account = reset === undefined ? undefined : await findAccount(deps.db, reset.account_id);
  if (account === undefined || account.disabled_at !== null) throw resetLinkInvalid();
  await assertAcceptablePassword(deps.db, account, request.newPassword);
  const passwordHash = await deps.passwordHasher.hash(request.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await useReset(trx, hash, now))) throw resetLinkInvalid();
    await setPassword(trx, account.account_id, passwordHash, now);
    await retireResets(trx, account.account_id, now);
    await endAllSessionsIn(trx, account.account_id, 'password-reset', now);
    await recordAccountEvent(trx, {
      account: { accountId: account.account_id },
      action: 'password.reset',
      outcome: 'permit',
      reason: 'reset-link',
      sourceIp: request.sourceAddress,
    });
  });
  await clearFailures(deps, loginKey(account.kind, account.email));
}
