import { randomInt, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { createAccount } from '../src/accounts/account.service.ts';
import type { AccountKind } from '../src/accounts/account.table.ts';
import type { Deps } from '../src/deps.ts';
import { sessionCookie } from '../src/sessions/session-cookie.ts';
import { generateTotpSecret, totpCode } from '../src/login/totp.ts';
import { sealTotpSecret } from '../src/login/totp-secret.ts';
import type { TestApp } from './test-app.ts';

/** The session cookie's name on the plain-http loopback base URL the tests use. */
export const SESSION_COOKIE = 'carnet_session';

export const PASSWORD = 'une phrase de passe assez longue';

export interface ManualClock {
  set(at: Date | string): void;
  advance(ms: number): void;
  now(): Date;
}

/** Replaces the app's clock: tests move time forward instead of sleeping. */
export function useManualClock(deps: Deps, start: Date | string = '2026-03-02T09:00:00.000Z'): ManualClock {
  let current = new Date(start).getTime();
  deps.clock.now = () => new Date(current);
  return {
    set: (at) => (current = new Date(at).getTime()),
    advance: (ms) => (current += ms),
    now: () => new Date(current),
  };
}

export interface TestAccount {
  accountId: string;
  kind: AccountKind;
  email: string;
  password: string;
  /** Set when the account has an authenticator app enrolled. */
  totpSecret?: string;
  patientId?: string;
  professionalId?: string;
}

let counter = 0;

/** A fresh account (and, for a patient, a fresh space; for a professional, a directory entry). */
export async function createTestAccount(
  t: TestApp,
  options: { kind?: AccountKind; totp?: boolean; email?: string; emailOtp?: boolean } = {},
): Promise<TestAccount> {
  const kind = options.kind ?? 'patient';
  counter += 1;
  const email = options.email ?? `personne.${counter}.${randomUUID().slice(0, 8)}@exemple.test`;
  let patientId: string | undefined;
  let professionalId: string | undefined;
  if (kind === 'patient') {
    patientId = randomUUID();
    // A fresh 15-digit matricule per test person (not a valid key: nothing here checks it).
    const ins = `2${String(randomInt(0, 10 ** 14)).padStart(14, '0')}`;
    await t.deps.db
      .insertInto('patient')
      .values({
        patient_id: patientId,
        birth_family_name: 'ESSAI',
        first_names: 'ALIX',
        birth_date: '1990-01-01',
        sex: 'F',
        birthplace_code: '75056',
        ins_matricule: ins,
        ins_oid: '1.2.250.1.213.1.4.10',
      })
      .execute();
  }
  if (kind === 'professional') {
    professionalId = randomUUID();
    await t.deps.db
      .insertInto('professional')
      .values({
        professional_id: professionalId,
        rpps: String(randomInt(10 ** 10, 10 ** 11 - 1)).padStart(11, '1'),
        family_name: 'ESSAI',
        given_name: 'Sacha',
        profession_code: '10',
        specialty_code: 'SM54',
        organization_id: null,
      })
      .execute();
  }
  const accountId = await createAccount(t.deps, {
    kind,
    email,
    displayName: 'Alix Essai',
    password: PASSWORD,
    ...(patientId === undefined ? {} : { patientId }),
    ...(professionalId === undefined ? {} : { professionalId }),
  });
  const account: TestAccount = { accountId, kind, email, password: PASSWORD, patientId, professionalId };
  if (options.totp ?? true) {
    account.totpSecret = generateTotpSecret();
    const { sealed, masterKeyId } = sealTotpSecret(t.deps.masterKeys, accountId, 'totp_secret', account.totpSecret);
    await t.deps.db
      .updateTable('account')
      .set({ totp_secret: sealed, totp_secret_key_id: masterKeyId })
      .where('account_id', '=', accountId)
      .execute();
  }
  if (options.emailOtp) {
    await t.deps.db.updateTable('account').set({ email_otp_enabled: true }).where('account_id', '=', accountId).execute();
  }
  return account;
}

/** The session cookie a response sets (carnet_session on http loopback, __Host-carnet_session on https). */
export function cookieOf(res: LightMyRequestResponse): string | undefined {
  return (res.cookies as { name: string; value: string }[]).find((c) => c.name.endsWith('carnet_session'))?.value;
}

/** What a browser holds after a login step: the session cookie and the CSRF token. */
export interface Browserish {
  cookie: string;
  csrfToken: string;
  cookieName: string;
}

/** The browser state after a login response. */
export function browserOf(t: TestApp, res: LightMyRequestResponse): Browserish {
  const cookie = cookieOf(res);
  if (cookie === undefined) throw new Error(`No session cookie in ${res.statusCode} ${res.body}`);
  return { cookie, csrfToken: res.json().csrfToken as string, cookieName: sessionCookie(t.deps.config.baseUrl).name };
}

export const headersOf = (b: Browserish) => ({ cookie: `${b.cookieName}=${b.cookie}`, 'x-csrf-token': b.csrfToken });
export const cookieHeader = (b: Browserish) => ({ cookie: `${b.cookieName}=${b.cookie}` });

export async function loginWithPassword(t: TestApp, account: Pick<TestAccount, 'kind' | 'email' | 'password'>) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { kind: account.kind, email: account.email, password: account.password },
  });
  return res;
}

/** Password, then the authenticator code of the clock's current step: a full session. */
export async function loginFully(t: TestApp, account: TestAccount): Promise<Browserish> {
  const first = await loginWithPassword(t, account);
  if (first.statusCode !== 200) throw new Error(`login failed: ${first.statusCode} ${first.body}`);
  const partial = browserOf(t, first);
  if (account.totpSecret === undefined) throw new Error('The account has no authenticator app.');
  const second = await t.app.inject({
    method: 'POST',
    url: '/api/auth/totp',
    headers: headersOf(partial),
    payload: { code: totpCode(account.totpSecret, t.deps.clock.now()) },
  });
  if (second.statusCode !== 200) throw new Error(`second factor failed: ${second.statusCode} ${second.body}`);
  return browserOf(t, second);
}
