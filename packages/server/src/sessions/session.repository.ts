import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { AccountKind } from '../accounts/account.table.ts';
import type { AccountSessionTable, AuthMethod, SessionStage } from './session.table.ts';

type Db = Kysely<Database>;

/** A live session with the facts an Actor is built from. */
export interface SessionRecord {
  sessionId: string;
  accountId: string;
  stage: SessionStage;
  csrfToken: string;
  authMethods: AuthMethod[];
  acr: string | null;
  userAgent: string | null;
  codeAttempts: number;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  account: {
    kind: AccountKind;
    email: string;
    displayName: string;
    disabled: boolean;
    patientId: string | null;
    professional: {
      professionalId: string;
      rpps: string;
      professionCode: string;
      specialtyCode: string | null;
      organizationId: string | null;
    } | null;
  };
}

export async function insertSession(db: Db, row: Insertable<AccountSessionTable>): Promise<void> {
  await db.insertInto('account_session').values(row).execute();
}

export async function findLiveSessionByTokenHash(db: Db, hash: Buffer): Promise<SessionRecord | undefined> {
  const row = await db
    .selectFrom('account_session as s')
    .innerJoin('account as a', 'a.account_id', 's.account_id')
    .leftJoin('patient_holder as h', 'h.account_id', 'a.account_id')
    .leftJoin('professional as p', 'p.professional_id', 'a.professional_id')
    .select([
      's.session_id',
      's.account_id',
      's.stage',
      's.csrf_token',
      's.auth_methods',
      's.acr',
      's.user_agent',
      's.code_attempts',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      'a.kind',
      'a.email',
      'a.display_name',
      'a.disabled_at',
      'h.patient_id',
      'p.professional_id',
      'p.rpps',
      'p.profession_code',
      'p.specialty_code',
      'p.organization_id',
    ])
    .where('s.token_hash', '=', hash)
    .where('s.ended_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    sessionId: row.session_id,
    accountId: row.account_id,
    stage: row.stage,
    csrfToken: row.csrf_token,
    authMethods: row.auth_methods,
    acr: row.acr,
    userAgent: row.user_agent,
    codeAttempts: row.code_attempts,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    account: {
      kind: row.kind,
      email: row.email,
      displayName: row.display_name,
      disabled: row.disabled_at !== null,
      patientId: row.patient_id,
      professional:
        row.professional_id === null || row.rpps === null || row.profession_code === null
          ? null
          : {
              professionalId: row.professional_id,
              rpps: row.rpps,
              professionCode: row.profession_code,
              specialtyCode: row.specialty_code,
              organizationId: row.organization_id,
            },
    },
  };
}

export async function touchSession(db: Db, sessionId: string, now: Date): Promise<void> {
  await db.updateTable('account_session').set({ last_seen_at: now }).where('session_id', '=', sessionId).execute();
}

/** Ends a session if it is still live; true when this call ended it. */
export async function endSession(db: Db, sessionId: string, reason: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('account_session')
    .set({ ended_at: now, end_reason: reason })
    .where('session_id', '=', sessionId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends one of an account's sessions; false when the account has no such live session. */
export async function endAccountSession(db: Db, accountId: string, sessionId: string, reason: string, now: Date) {
  const result = await db
    .updateTable('account_session')
    .set({ ended_at: now, end_reason: reason })
    .where('session_id', '=', sessionId)
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function endAllAccountSessions(
  db: Db,
  accountId: string,
  reason: string,
  now: Date,
  exceptSessionId?: string,
): Promise<number> {
  let query = db
    .updateTable('account_session')
    .set({ ended_at: now, end_reason: reason })
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null);
  if (exceptSessionId !== undefined) query = query.where('session_id', '!=', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface SessionListItem {
  session_id: string;
  stage: SessionStage;
  user_agent: string | null;
  auth_methods: AuthMethod[];
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

/** The account's sessions not ended, newest first (the caller drops those past their timeouts). */
export async function listLiveSessions(db: Db, accountId: string): Promise<SessionListItem[]> {
  return db
    .selectFrom('account_session')
    .select(['session_id', 'stage', 'user_agent', 'auth_methods', 'created_at', 'last_seen_at', 'expires_at'])
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function addCodeAttempt(db: Db, sessionId: string): Promise<number> {
  const row = await db
    .updateTable('account_session')
    .set((eb) => ({ code_attempts: eb('code_attempts', '+', 1) }))
    .where('session_id', '=', sessionId)
    .returning('code_attempts')
    .executeTakeFirst();
  return row?.code_attempts ?? Number.MAX_SAFE_INTEGER;
}

/** Forgets an account's sessions that ended or expired before `before` (kept a while for support). */
export async function purgeOldSessions(db: Db, accountId: string, before: Date): Promise<void> {
  await db
    .deleteFrom('account_session')
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('ended_at', '<', before), eb('expires_at', '<', before)]))
    .execute();
}
