import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { assertNotLockedOut, clearFailures, loginKey, normalizeEmail, recordFailure } from '../login/throttle.ts';
import type { SessionRecord } from '../sessions/session.repository.ts';
import { endAllSessionsIn } from '../sessions/session.service.ts';
import { recordAccountEvent } from './account-events.ts';
import {
  type AccountRow,
  findAccount,
  findPersonalFacts,
  insertAccount,
  insertPatientHolder,
  setPassword,
} from './account.repository.ts';
import type { AccountKind } from './account.table.ts';
import { weakPassword, wrongCurrentPassword } from './auth.errors.ts';
import type { PasswordHasher } from './password-hasher.ts';
import { checkPassword, type PersonalIdentifiers } from './password-policy.ts';

export type SecondFactor = 'totp' | 'email';

/** The second factors an account can confirm a login with; none means it must enrol one. */
export function secondFactorsOf(account: Pick<AccountRow, 'totp_secret' | 'email_otp_enabled'>): SecondFactor[] {
  const methods: SecondFactor[] = [];
  if (account.totp_secret !== null) methods.push('totp');
  if (account.email_otp_enabled) methods.push('email');
  return methods;
}

export async function personalIdentifiers(db: Kysely<Database>, account: AccountRow): Promise<PersonalIdentifiers> {
  const { patient, professional } = await findPersonalFacts(db, account);
  const names = [account.display_name];
  const numbers: string[] = [];
  let birthDate: string | undefined;
  if (patient !== undefined) {
    names.push(patient.birth_family_name, patient.first_names);
    numbers.push(patient.ins_matricule);
    birthDate = patient.birth_date;
  }
  if (professional !== undefined) {
    names.push(professional.family_name, professional.given_name);
    numbers.push(professional.rpps);
  }
  return { names, numbers, email: account.email, ...(birthDate === undefined ? {} : { birthDate }) };
}

/** Checks a new password against the policy and this person's identifiers; throws the first problem. */
export async function assertAcceptablePassword(db: Kysely<Database>, account: AccountRow, password: string) {
  const [problem] = checkPassword(password, await personalIdentifiers(db, account));
  if (problem !== undefined) throw weakPassword(problem);
}

export interface NewAccount {
  accountId?: string;
  kind: AccountKind;
  email: string;
  displayName: string;
  /** Checked against the password policy by the caller (demo passwords are, in a test). */
  password?: string;
  patientId?: string;
  professionalId?: string;
}

/** Creates an account (national enrolment, the demo seed, tests). */
export async function createAccount(
  deps: { db: Kysely<Database>; passwordHasher: PasswordHasher; clock: { now(): Date } },
  input: NewAccount,
): Promise<string> {
  const accountId = input.accountId ?? randomUUID();
  const passwordHash = input.password === undefined ? null : await deps.passwordHasher.hash(input.password);
  await deps.db.transaction().execute(async (trx) => {
    await insertAccount(trx, {
      account_id: accountId,
      kind: input.kind,
      email: normalizeEmail(input.email),
      display_name: input.displayName,
      professional_id: input.professionalId ?? null,
      password_hash: passwordHash,
      password_changed_at: passwordHash === null ? null : deps.clock.now(),
    });
    if (input.patientId !== undefined) await insertPatientHolder(trx, input.patientId, accountId);
  });
  return accountId;
}

/**
 * Changes the password of a logged-in person: the current password first (ASVS 5.0 6.2.3), then
 * the policy; every other session ends (ASVS 5.0 7.4.3).
 */
export async function changePassword(deps: Deps, session: SessionRecord, current: string, next: string, sourceIp: string) {
  const account = await findAccount(deps.db, session.accountId);
  if (account === undefined) throw wrongCurrentPassword();
  const key = loginKey(account.kind, account.email);
  await assertNotLockedOut(deps, key);
  const ok =
    account.password_hash === null
      ? (await deps.passwordHasher.verify(deps.passwordHasher.dummyHash, current), false)
      : await deps.passwordHasher.verify(account.password_hash, current);
  if (!ok) {
    await recordFailure(deps, key);
    throw wrongCurrentPassword();
  }
  await assertAcceptablePassword(deps.db, account, next);
  const passwordHash = await deps.passwordHasher.hash(next);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await setPassword(trx, account.account_id, passwordHash, now);
    await endAllSessionsIn(trx, account.account_id, 'password-changed', now, session.sessionId);
    await recordAccountEvent(trx, {
      account: { accountId: account.account_id },
      action: 'password.change',
      outcome: 'permit',
      reason: 'password-changed',
      sourceIp,
    });
  });
  await clearFailures(deps, key);
}

/** What GET /api/me says about a session: identity only, never health data. */
export async function describeSession(deps: Deps, session: SessionRecord) {
  const { account } = session;
  if (session.stage === 'second-factor') {
    // Before the second factor, only what the login page needs to continue.
    const row = await findAccount(deps.db, session.accountId);
    return { stage: session.stage, kind: account.kind, csrfToken: session.csrfToken, methods: row ? secondFactorsOf(row) : [] };
  }
  return {
    stage: session.stage,
    kind: account.kind,
    csrfToken: session.csrfToken,
    accountId: session.accountId,
    displayName: account.displayName,
    email: account.email,
    sessionId: session.sessionId,
    authMethods: session.authMethods,
    ...(account.patientId === null ? {} : { patientId: account.patientId }),
    ...(account.professional === null
      ? {}
      : {
          professional: {
            rpps: account.professional.rpps,
            professionCode: account.professional.professionCode,
            specialtyCode: account.professional.specialtyCode,
            organizationId: account.professional.organizationId,
          },
        }),
  };
}
