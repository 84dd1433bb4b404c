import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserOf,
  createTestAccount,
  headersOf,
  loginWithPassword,
  type ManualClock,
  useManualClock,
} from '../../test/identity.ts';
import { type SmtpSink, startSmtpSink } from '../../test/smtp-sink.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { totpCode } from './totp.ts';

const MINUTE = 60_000;
let t: TestApp;
let sink: SmtpSink;
let clock: ManualClock;
beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({
    env: {
      SMTP_RELAY_URL: sink.url,
      CARNET_LOGIN_MAX_FAILURES: '3',
      CARNET_LOCKOUT_MINUTES: '15',
      CARNET_AUTH_RATE_LIMIT: '1000',
    },
  });
  clock = useManualClock(t.deps);
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

const wrong = 'ce n’est pas le bon mot de passe';

describe('lockout after repeated failures (ASVS 5.0 6.3.1)', () => {
  it('locks the account after 3 wrong passwords, even for the right one, with Retry-After', async () => {
    const account = await createTestAccount(t);
    for (let i = 0; i < 3; i++) expect((await loginWithPassword(t, { ...account, password: wrong })).statusCode).toBe(401);
    const locked = await loginWithPassword(t, account);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('too_many_attempts');
    expect(Number(locked.headers['retry-after'])).toBe(15 * 60);
    expect(locked.json().detail).toMatch(/15 minutes.*reset your password/);
  });

  it('answers an unknown address with the same sequence, so a lockout reveals nothing', async () => {
    const ghost = { kind: 'patient' as const, email: 'fantome.verrou@exemple.test', password: wrong };
    const account = await createTestAccount(t);
    const ghostAnswers: string[] = [];
    const realAnswers: string[] = [];
    for (let i = 0; i < 4; i++) {
      const g = await loginWithPassword(t, ghost);
      const r = await loginWithPassword(t, { ...account, password: wrong });
      ghostAnswers.push(`${g.statusCode} ${g.body}`);
      realAnswers.push(`${r.statusCode} ${r.body}`);
    }
    expect(ghostAnswers).toEqual(realAnswers);
  });

  it('lifts the lockout once it has expired', async () => {
    const account = await createTestAccount(t);
    for (let i = 0; i < 3; i++) await loginWithPassword(t, { ...account, password: wrong });
    clock.advance(14 * MINUTE);
    expect((await loginWithPassword(t, account)).statusCode).toBe(429);
    clock.advance(1 * MINUTE);
    expect((await loginWithPassword(t, account)).statusCode).toBe(200);
  });

  it('lifts the lockout when the owner resets the password by e-mail', async () => {
    const account = await createTestAccount(t);
    for (let i = 0; i < 3; i++) await loginWithPassword(t, { ...account, password: wrong });
    expect((await loginWithPassword(t, account)).statusCode).toBe(429);

    const ask = await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { kind: 'patient', email: account.email } });
    expect(ask.statusCode).toBe(202);
    const token = /#jeton=([A-Za-z0-9_-]+)/.exec((await sink.next(account.email)).text)![1]!;
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, newPassword: 'un nouveau départ pour ce compte' },
    });
    expect(reset.statusCode).toBe(204);
    expect((await loginWithPassword(t, { ...account, password: 'un nouveau départ pour ce compte' })).statusCode).toBe(200);
  });

  it('counts wrong second-factor codes towards the lockout', async () => {
    const account = await createTestAccount(t);
    const res = await loginWithPassword(t, account);
    const partial = browserOf(t, res);
    const code = (c: string) => t.app.inject({ method: 'POST', url: '/api/auth/totp', headers: headersOf(partial), payload: { code: c } });
    expect((await code('000000')).statusCode).toBe(401);
    expect((await code('000001')).statusCode).toBe(401);
    const third = await code('000002');
    expect(third.statusCode).toBe(429);
    // The login in progress ended, and the next one waits for the lockout.
    expect((await code(totpCode(account.totpSecret!, clock.now()))).statusCode).toBe(401);
    expect((await loginWithPassword(t, account)).statusCode).toBe(429);
  });
});

describe('rate limit per source address, shared through PostgreSQL', () => {
  it('answers 429 past the limit from one address, and not to another address', async () => {
    const limited = await startTestApp({ env: { CARNET_AUTH_RATE_LIMIT: '5' } });
    try {
      useManualClock(limited.deps);
      const login = (remoteAddress: string, n: number) =>
        limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress,
          payload: { kind: 'patient', email: `quelqu.un.${n}@exemple.test`, password: wrong },
        });
      for (let i = 0; i < 5; i++) expect((await login('203.0.113.7', i)).statusCode).toBe(401);
      const over = await login('203.0.113.7', 99);
      expect(over.statusCode).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect((await login('198.51.100.20', 100)).statusCode).toBe(401);
      const reset = await limited.app.inject({
        method: 'POST',
        url: '/api/auth/password-reset',
        remoteAddress: '203.0.113.7',
        payload: { kind: 'patient', email: 'x@exemple.test' },
      });
      expect(reset.statusCode).toBe(429);
      // The counts live in the database: a second app node on it sees them.
      const rows = await limited.deps.db.selectFrom('auth_throttle').selectAll().where('bucket', '=', 'address').execute();
      expect(rows.map((r) => r.hits).sort((a, b) => b - a)[0]).toBeGreaterThan(5);
      expect(JSON.stringify(rows)).not.toContain('203.0.113.7');
    } finally {
      await limited.close();
    }
  });
});
