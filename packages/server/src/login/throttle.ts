import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { tooManyAttempts } from '../accounts/auth.errors.ts';
import type { AccountKind } from '../accounts/account.table.ts';
import { countHit, forget, lock, lockedUntil } from './throttle.repository.ts';

/**
 * Rate limits and lockouts for login, codes and password resets (ASVS 5.0 6.3.1; OWASP API4),
 * kept in PostgreSQL so that every node sees the same counts. What is counted is stored only as
 * a SHA-256: the table holds no e-mail address and no IP address.
 */
const WINDOW_MS = 15 * 60_000;

/** Wrong codes one half-open login may try before it has to start again with the password. */
export const CODE_ATTEMPTS_PER_LOGIN = 5;
/** E-mailed codes per account per window: enough to retry, too few to flood a mailbox. */
const EMAIL_CODES_PER_WINDOW = 5;
/** Reset e-mails per address per window. */
const RESETS_PER_WINDOW = 3;

const keyOf = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** The login identifier a lockout applies to: whether or not an account has it (no enumeration). */
export const loginKey = (kind: AccountKind, email: string) => keyOf('login', kind, normalizeEmail(email));

const secondsUntil = (until: Date, now: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

async function limit(deps: Deps, bucket: string, key: string, max: number): Promise<void> {
  const now = deps.clock.now();
  const { hits, window_start } = await countHit(deps.db, bucket, key, now, WINDOW_MS);
  if (hits > max) throw tooManyAttempts(secondsUntil(new Date(window_start.getTime() + WINDOW_MS), now));
}

/** Every login, code and reset request from one source address counts here (429 beyond). */
export const limitSourceAddress = (deps: Deps, address: string) =>
  limit(deps, 'address', keyOf('address', address), deps.config.authRateLimitPerAddress);

export const limitEmailCodes = (deps: Deps, accountId: string) =>
  limit(deps, 'email-code', keyOf('email-code', accountId), EMAIL_CODES_PER_WINDOW);

/** False past the limit: the reset answer stays the same, only the e-mail is not sent again. */
export async function allowResetEmail(deps: Deps, kind: AccountKind, email: string): Promise<boolean> {
  const now = deps.clock.now();
  const { hits } = await countHit(deps.db, 'reset', keyOf('reset', kind, normalizeEmail(email)), now, WINDOW_MS);
  return hits <= RESETS_PER_WINDOW;
}

/** Throws 429 while the login identifier is locked out. */
export async function assertNotLockedOut(deps: Deps, key: string): Promise<void> {
  const until = await lockedUntil(deps.db, 'login-failures', key);
  const now = deps.clock.now();
  if (until !== null && until.getTime() > now.getTime()) throw tooManyAttempts(secondsUntil(until, now));
}

/**
 * One more failed password or code for this login identifier. After CARNET_LOGIN_MAX_FAILURES
 * within the window, the identifier is locked for CARNET_LOCKOUT_MINUTES (ASVS 5.0 6.3.1). The
 * lockout expires by itself, and a password reset lifts it (see `clearFailures`).
 */
export async function recordFailure(deps: Deps, key: string): Promise<{ locked: boolean }> {
  const now = deps.clock.now();
  const { hits } = await countHit(deps.db, 'login-failures', key, now, deps.config.lockoutMinutes * 60_000);
  if (hits < deps.config.loginMaxFailures) return { locked: false };
  await lock(deps.db, 'login-failures', key, now, new Date(now.getTime() + deps.config.lockoutMinutes * 60_000));
  return { locked: true };
}

/** A full login or a password reset: the failures so far, and any lockout, are forgotten. */
export const clearFailures = (deps: Deps, key: string) => forget(deps.db, 'login-failures', key);
