import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { recordAccountEvent } from '../accounts/account-events.ts';
import { sessionNotFound } from '../accounts/auth.errors.ts';
import {
  addCodeAttempt,
  endAccountSession,
  endAllAccountSessions,
  endSession,
  findLiveSessionByTokenHash,
  insertSession,
  listLiveSessions,
  purgeOldSessions,
  type SessionRecord,
  touchSession,
} from './session.repository.ts';
import type { AuthMethod, SessionStage } from './session.table.ts';
import { newToken, tokenHash } from './token.ts';

/** Time to type a second-factor code after the password (ASVS 5.0 6.5.5: out-of-band ≤ 10 min). */
export const SECOND_FACTOR_WINDOW_MINUTES = 10;
/** last_seen_at is written at most this often: idle time is measured to within a minute. */
const TOUCH_INTERVAL_MS = 60_000;
/** Ended sessions stay listed in the database this long (support, investigations), then go. */
const KEEP_ENDED_SESSIONS_DAYS = 30;

const MINUTE = 60_000;

export interface StartedSession {
  /** The cookie value. Returned once, never stored. */
  token: string;
  sessionId: string;
  stage: SessionStage;
  csrfToken: string;
}

export interface NewSession {
  accountId: string;
  stage: SessionStage;
  authMethods: AuthMethod[];
  acr?: string | null;
  userAgent: string | undefined;
  /** Where the login comes from, for the audit log. */
  sourceIp: string;
}

/**
 * Opens a session with a fresh id and token: every login and every step up gets a new one, so a
 * token planted before login is worth nothing after (ASVS 5.0 7.2.4, session fixation).
 */
export async function startSession(deps: Deps, session: NewSession): Promise<StartedSession> {
  const now = deps.clock.now();
  const token = newToken();
  const sessionId = randomUUID();
  const csrfToken = newToken();
  const lifetime =
    session.stage === 'full' ? deps.config.sessionAbsoluteHours * 60 * MINUTE : SECOND_FACTOR_WINDOW_MINUTES * MINUTE;
  const row = {
    session_id: sessionId,
    token_hash: tokenHash(token),
    account_id: session.accountId,
    stage: session.stage,
    csrf_token: csrfToken,
    auth_methods: session.authMethods,
    acr: session.acr ?? null,
    user_agent: session.userAgent?.slice(0, 300) ?? null,
    code_attempts: 0,
    created_at: now,
    last_seen_at: now,
    expires_at: new Date(now.getTime() + lifetime),
    ended_at: null,
    end_reason: null,
  };
  if (session.stage === 'full') {
    // A complete login is an account event: it is in the audit log if and only if it happened.
    await deps.db.transaction().execute(async (trx) => {
      await insertSession(trx, row);
      await recordAccountEvent(trx, {
        account: { accountId: session.accountId },
        action: 'login',
        outcome: 'permit',
        reason: session.authMethods.join('+'),
        sessionId,
        sourceIp: session.sourceIp,
      });
    });
  } else {
    await insertSession(deps.db, row);
  }
  await purgeOldSessions(deps.db, session.accountId, new Date(now.getTime() - KEEP_ENDED_SESSIONS_DAYS * 24 * 60 * MINUTE));
  return { token, sessionId, stage: session.stage, csrfToken };
}

/** Why a session is no longer valid at `now`, or undefined while it is. */
function timedOut(deps: Deps, session: SessionRecord, now: Date): string | undefined {
  // ASVS 5.0 7.3.2: an absolute lifetime, whatever the activity.
  if (session.expiresAt.getTime() <= now.getTime()) return 'absolute-timeout';
  // ASVS 5.0 7.3.1: an idle timeout.
  if (session.lastSeenAt.getTime() + deps.config.sessionIdleMinutes * MINUTE <= now.getTime()) return 'idle-timeout';
  if (session.account.disabled) return 'account-disabled';
  return undefined;
}

/** The live session a cookie names, or undefined; ends it on the spot if it has timed out. */
export async function resolveSession(deps: Deps, token: string): Promise<SessionRecord | undefined> {
  if (token.length === 0 || token.length > 100) return undefined;
  const session = await findLiveSessionByTokenHash(deps.db, tokenHash(token));
  if (session === undefined) return undefined;
  const now = deps.clock.now();
  const reason = timedOut(deps, session, now);
  if (reason !== undefined) {
    await endSession(deps.db, session.sessionId, reason, now);
    return undefined;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await touchSession(deps.db, session.sessionId, now);
  }
  return session;
}

/**
 * The second factor is done: the half-open session ends and a full one, under a new id and
 * token, takes its place (ASVS 5.0 7.2.4: new token on every authentication step).
 */
export async function completeSecondFactor(
  deps: Deps,
  partial: SessionRecord,
  method: AuthMethod,
  sourceIp: string,
): Promise<StartedSession> {
  await endSession(deps.db, partial.sessionId, 'second-factor-completed', deps.clock.now());
  return startSession(deps, {
    accountId: partial.accountId,
    stage: 'full',
    authMethods: [...new Set([...partial.authMethods, method])],
    acr: partial.acr,
    userAgent: partial.userAgent ?? undefined,
    sourceIp,
  });
}

/** Ends the session server-side; a complete login's end is in the audit log with it. */
export async function logout(deps: Deps, session: SessionRecord, sourceIp: string): Promise<void> {
  const now = deps.clock.now();
  if (session.stage !== 'full') {
    await endSession(deps.db, session.sessionId, 'logout', now);
    return;
  }
  await deps.db.transaction().execute(async (trx) => {
    await endSession(trx, session.sessionId, 'logout', now);
    await recordAccountEvent(trx, {
      account: { accountId: session.accountId },
      action: 'logout',
      outcome: 'permit',
      reason: 'logout',
      sessionId: session.sessionId,
      sourceIp,
    });
  });
}

export interface SessionView {
  id: string;
  current: boolean;
  /** 'second-factor': someone typed the password and has not confirmed the login. */
  stage: SessionStage;
  userAgent: string | null;
  methods: AuthMethod[];
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

/** The account's live sessions, as its owner sees them (ASVS 5.0 7.5.2). */
export async function listSessions(deps: Deps, current: SessionRecord): Promise<SessionView[]> {
  const now = deps.clock.now().getTime();
  const idle = deps.config.sessionIdleMinutes * MINUTE;
  return (await listLiveSessions(deps.db, current.accountId))
    .filter((s) => s.expires_at.getTime() > now && s.last_seen_at.getTime() + idle > now)
    .map((s) => ({
      id: s.session_id,
      current: s.session_id === current.sessionId,
      stage: s.stage,
      userAgent: s.user_agent,
      methods: s.auth_methods,
      createdAt: s.created_at.toISOString(),
      lastSeenAt: s.last_seen_at.toISOString(),
      expiresAt: s.expires_at.toISOString(),
    }));
}

/** Ends one of the caller's own sessions; another account's session id is "not found". */
export async function endOwnSession(deps: Deps, current: SessionRecord, sessionId: string, sourceIp: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const ended = await endAccountSession(trx, current.accountId, sessionId, 'ended-by-user', deps.clock.now());
    if (!ended) throw sessionNotFound();
    await recordAccountEvent(trx, {
      account: { accountId: current.accountId },
      action: 'session.end',
      outcome: 'permit',
      reason: 'ended-by-user',
      sessionId,
      sourceIp,
    });
  });
}

/** Ends a session now (lockout, too many wrong codes). */
export const endSessionNow = (deps: Deps, sessionId: string, reason: string) =>
  endSession(deps.db, sessionId, reason, deps.clock.now());

/** Counts a wrong second-factor code in this login; returns how many so far. */
export const countWrongCode = (deps: Deps, sessionId: string) => addCodeAttempt(deps.db, sessionId);

/**
 * Ends every session of an account, but `keepSessionId`, inside the caller's transaction: after a
 * password change or reset (ASVS 5.0 7.4.3).
 */
export const endAllSessionsIn = (db: Kysely<Database>, accountId: string, reason: string, now: Date, keepSessionId?: string) =>
  endAllAccountSessions(db, accountId, reason, now, keepSessionId);
