import { createHash, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAccountEvent } from '../accounts/account-events.ts';
import type { Database } from '../db/database.ts';
import QRCode from 'qrcode';
import type { Deps } from '../deps.ts';
import {
  type AccountRow,
  confirmTotpSecret,
  enableEmailOtp,
  findAccount,
  setPendingTotpSecret,
  useTotpStep,
} from '../accounts/account.repository.ts';
import { secondFactorsOf } from '../accounts/account.service.ts';
import {
  enrolmentNotAllowed,
  invalidCode,
  loginRestartNeeded,
  mailUnavailable,
  noPendingEnrolment,
  noSuchSecondFactor,
  notAuthenticated,
  tooManyAttempts,
} from '../accounts/auth.errors.ts';
import type { SessionRecord } from '../sessions/session.repository.ts';
import { completeSecondFactor, countWrongCode, endSessionNow, type StartedSession } from '../sessions/session.service.ts';
import { consumeEmailCode, saveEmailCode } from './email-code.repository.ts';
import { loginCodeMail } from './login-mails.ts';
import {
  assertNotLockedOut,
  clearFailures,
  CODE_ATTEMPTS_PER_LOGIN,
  limitEmailCodes,
  limitSourceAddress,
  loginKey,
  recordFailure,
} from './throttle.ts';
import { generateTotpSecret, totpStep, totpUri } from './totp.ts';
import { openTotpSecret, sealTotpSecret } from './totp-secret.ts';

/** ASVS 5.0 6.5.5: an out-of-band code lives at most 10 minutes. */
export const EMAIL_CODE_MINUTES = 10;

async function accountOf(deps: Deps, session: SessionRecord): Promise<AccountRow> {
  const account = await findAccount(deps.db, session.accountId);
  if (account === undefined) throw notAuthenticated();
  return account;
}

/** Before any code is checked: the source address limit and the login identifier's lockout. */
async function beforeCode(deps: Deps, session: SessionRecord, account: AccountRow, sourceAddress: string) {
  await limitSourceAddress(deps, sourceAddress);
  try {
    await assertNotLockedOut(deps, loginKey(account.kind, account.email));
  } catch (error) {
    await endSessionNow(deps, session.sessionId, 'locked-out');
    throw error;
  }
}

/**
 * A wrong code counts against this login (after CODE_ATTEMPTS_PER_LOGIN it must start again
 * with the password) and against the account's lockout, so a stolen password cannot be turned
 * into 10⁶ guesses (ASVS 5.0 6.3.1, 6.5.x).
 */
async function codeFailed(deps: Deps, session: SessionRecord, account: AccountRow): Promise<never> {
  const attempts = await countWrongCode(deps, session.sessionId);
  const { locked } = await recordFailure(deps, loginKey(account.kind, account.email));
  if (locked || attempts >= CODE_ATTEMPTS_PER_LOGIN) {
    await endSessionNow(deps, session.sessionId, 'too-many-codes');
    throw locked ? tooManyAttempts(deps.config.lockoutMinutes * 60) : loginRestartNeeded();
  }
  throw invalidCode();
}

async function succeed(
  deps: Deps,
  session: SessionRecord,
  account: AccountRow,
  method: 'otp' | 'email',
  sourceAddress: string,
) {
  await clearFailures(deps, loginKey(account.kind, account.email));
  return completeSecondFactor(deps, session, method, sourceAddress);
}

/** Confirms a login with the authenticator app's code (RFC 6238). */
export async function verifyTotp(
  deps: Deps,
  session: SessionRecord,
  code: string,
  sourceAddress: string,
): Promise<StartedSession> {
  const account = await accountOf(deps, session);
  if (account.totp_secret === null || account.totp_secret_key_id === null) throw noSuchSecondFactor('an authenticator app');
  await beforeCode(deps, session, account, sourceAddress);
  const secret = openTotpSecret(deps.masterKeys, account.account_id, 'totp_secret', {
    sealed: account.totp_secret,
    masterKeyId: account.totp_secret_key_id,
  });
  const step = totpStep(secret, code, deps.clock.now());
  // RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the same OTP".
  if (step === null || !(await useTotpStep(deps.db, account.account_id, step))) {
    return codeFailed(deps, session, account);
  }
  return succeed(deps, session, account, 'otp', sourceAddress);
}

/**
 * An account with no second factor enrols one during its first login; an account with one must
 * use it (a password alone never replaces an existing factor). A full session may add TOTP.
 */
function assertMayEnrol(session: SessionRecord, account: AccountRow) {
  if (account.totp_secret !== null) throw enrolmentNotAllowed();
  if (session.stage === 'second-factor' && secondFactorsOf(account).length > 0) throw enrolmentNotAllowed();
}

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  /** PNG data URL of the QR code carrying otpauthUri. */
  qrCode: string;
}

/** Starts TOTP enrolment: a new secret, shown as a QR code and as text, waits for its first code. */
export async function startTotpEnrolment(deps: Deps, session: SessionRecord): Promise<TotpEnrolment> {
  const account = await accountOf(deps, session);
  assertMayEnrol(session, account);
  const secret = generateTotpSecret();
  const pending = sealTotpSecret(deps.masterKeys, account.account_id, 'totp_pending_secret', secret);
  await setPendingTotpSecret(deps.db, account.account_id, pending);
  const otpauthUri = totpUri(secret, account.email);
  const qrCode = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
  return { secret, otpauthUri, qrCode };
}

/**
 * A valid code proves the app holds the secret; only then is it the account's factor. During a
 * first login this also completes the login.
 */
export async function confirmTotpEnrolment(
  deps: Deps,
  session: SessionRecord,
  code: string,
  sourceAddress: string,
): Promise<StartedSession | undefined> {
  const account = await accountOf(deps, session);
  assertMayEnrol(session, account);
  const { totp_pending_secret: pending, totp_pending_secret_key_id: pendingKeyId } = account;
  if (pending === null || pendingKeyId === null) throw noPendingEnrolment();
  await beforeCode(deps, session, account, sourceAddress);
  const secret = openTotpSecret(deps.masterKeys, account.account_id, 'totp_pending_secret', {
    sealed: pending,
    masterKeyId: pendingKeyId,
  });
  const step = totpStep(secret, code, deps.clock.now());
  // The secret is sealed again for its new column: the associated data names the column.
  const confirmed = sealTotpSecret(deps.masterKeys, account.account_id, 'totp_secret', secret);
  const enrolled =
    step !== null &&
    (await deps.db.transaction().execute(async (trx) => {
      if (!(await confirmTotpSecret(trx, account.account_id, pending, confirmed, step))) return false;
      await recordEnrolment(trx, account.account_id, 'totp', sourceAddress);
      return true;
    }));
  if (!enrolled) return codeFailed(deps, session, account);
  if (session.stage === 'full') return undefined;
  return succeed(deps, session, account, 'otp', sourceAddress);
}

const emailCodeHash = (sessionId: string, code: string) =>
  createHash('sha256').update(`${sessionId}:${code}`).digest();

function assertEmailAllowed(session: SessionRecord, account: AccountRow) {
  if (session.stage !== 'second-factor') throw noSuchSecondFactor('e-mailed codes outside a login');
  // Without any factor yet, the e-mailed code is how the account enrols its first one.
  if (!account.email_otp_enabled && secondFactorsOf(account).length > 0) throw noSuchSecondFactor('e-mailed codes');
}

/** E-mails a one-time code for this login (6 digits, 10 minutes, single use). */
export async function sendEmailCode(
  deps: Deps,
  session: SessionRecord,
  sourceAddress: string,
): Promise<{ expiresAt: Date }> {
  const account = await accountOf(deps, session);
  assertEmailAllowed(session, account);
  await limitSourceAddress(deps, sourceAddress);
  await limitEmailCodes(deps, account.account_id);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + EMAIL_CODE_MINUTES * 60_000);
  await saveEmailCode(deps.db, {
    session_id: session.sessionId,
    code_hash: emailCodeHash(session.sessionId, code),
    attempts: 0,
    created_at: now,
    expires_at: expiresAt,
  });
  try {
    await deps.mailer.send(loginCodeMail(account.email, code, EMAIL_CODE_MINUTES));
  } catch (error) {
    throw mailUnavailable(error);
  }
  return { expiresAt };
}

/** Confirms a login with the e-mailed code; the first use also makes e-mail the account's factor. */
export async function verifyEmailCode(
  deps: Deps,
  session: SessionRecord,
  code: string,
  sourceAddress: string,
): Promise<StartedSession> {
  const account = await accountOf(deps, session);
  assertEmailAllowed(session, account);
  await beforeCode(deps, session, account, sourceAddress);
  const typed = code.replace(/\s+/g, '');
  const ok =
    /^\d{6}$/.test(typed) &&
    (await consumeEmailCode(deps.db, session.sessionId, emailCodeHash(session.sessionId, typed), deps.clock.now()));
  if (!ok) return codeFailed(deps, session, account);
  if (!account.email_otp_enabled) {
    await deps.db.transaction().execute(async (trx) => {
      await enableEmailOtp(trx, account.account_id);
      await recordEnrolment(trx, account.account_id, 'email', sourceAddress);
    });
  }
  return succeed(deps, session, account, 'email', sourceAddress);
}

/** A new second factor is a change of the account's security settings: it is audited with it. */
const recordEnrolment = (db: Kysely<Database>, accountId: string, factor: 'totp' | 'email', sourceIp: string) =>
  recordAccountEvent(db, { account: { accountId }, action: 'second-factor.enrol', outcome: 'permit', reason: factor, sourceIp });
