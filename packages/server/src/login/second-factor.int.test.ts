import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browserish,
  browserOf,
  createTestAccount,
  headersOf,
  loginWithPassword,
  type ManualClock,
  type TestAccount,
  useManualClock,
} from '../../test/identity.ts';
import { type SmtpSink, startSmtpSink } from '../../test/smtp-sink.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { totpCode } from './totp.ts';

let t: TestApp;
let sink: SmtpSink;
let clock: ManualClock;
beforeAll(async () => {
  sink = await startSmtpSink();
  t = await startTestApp({ env: { SMTP_RELAY_URL: sink.url, CARNET_LOGIN_MAX_FAILURES: '20' } });
  clock = useManualClock(t.deps);
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

async function passwordStep(account: TestAccount): Promise<Browserish> {
  const res = await loginWithPassword(t, account);
  expect(res.statusCode).toBe(200);
  return browserOf(t, res);
}

const post = (b: Browserish, url: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: headersOf(b), ...(payload === undefined ? {} : { payload }) });

describe('TOTP (RFC 6238)', () => {
  it('refuses a wrong code', async () => {
    const account = await createTestAccount(t);
    const partial = await passwordStep(account);
    const wrong = String((Number(totpCode(account.totpSecret!, clock.now())) + 1) % 1_000_000).padStart(6, '0');
    const res = await post(partial, '/api/auth/totp', { code: wrong });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_code');
    expect((await t.app.inject({ url: '/api/me', headers: headersOf(partial) })).json().stage).toBe('second-factor');
  });

  it('refuses an expired code (more than one 30-second step old)', async () => {
    const account = await createTestAccount(t);
    const old = totpCode(account.totpSecret!, clock.now());
    clock.advance(90_000);
    const res = await post(await passwordStep(account), '/api/auth/totp', { code: old });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_code');
  });

  it('refuses a code already used, even in another login, and takes the next one', async () => {
    const account = await createTestAccount(t);
    const code = totpCode(account.totpSecret!, clock.now());
    expect((await post(await passwordStep(account), '/api/auth/totp', { code })).statusCode).toBe(200);
    const replay = await post(await passwordStep(account), '/api/auth/totp', { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('invalid_code');
    clock.advance(30_000);
    const next = totpCode(account.totpSecret!, clock.now());
    expect((await post(await passwordStep(account), '/api/auth/totp', { code: next })).statusCode).toBe(200);
  });

  it('accepts one racing use of a code, not two', async () => {
    const account = await createTestAccount(t);
    const [a, b] = [await passwordStep(account), await passwordStep(account)];
    const code = totpCode(account.totpSecret!, clock.now());
    const results = await Promise.all([post(a, '/api/auth/totp', { code }), post(b, '/api/auth/totp', { code })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it('ends the login after five wrong codes: the password must be typed again', async () => {
    const account = await createTestAccount(t);
    const partial = await passwordStep(account);
    for (let i = 0; i < 4; i++) expect((await post(partial, '/api/auth/totp', { code: '000000' })).json().code).toBe('invalid_code');
    const fifth = await post(partial, '/api/auth/totp', { code: '000000' });
    expect(fifth.json().code).toBe('login_restart');
    const right = await post(partial, '/api/auth/totp', { code: totpCode(account.totpSecret!, clock.now()) });
    expect(right.statusCode).toBe(401);
    expect(right.json().code).toBe('not_authenticated');
  });
});

describe('TOTP enrolment at first login', () => {
  it('shows a QR code and the secret, and needs a valid code to confirm', async () => {
    const account = await createTestAccount(t, { totp: false });
    const login = await loginWithPassword(t, account);
    expect(login.json()).toMatchObject({ methods: [], enrolment: true });
    const partial = browserOf(t, login);

    const start = await post(partial, '/api/auth/totp/enrolment');
    expect(start.statusCode).toBe(200);
    const { secret, otpauthUri, qrCode } = start.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(qrCode).toMatch(/^data:image\/png;base64,/);

    expect((await post(partial, '/api/auth/totp/enrolment/confirm', { code: '123456' })).statusCode).toBe(401);
    const done = await post(partial, '/api/auth/totp/enrolment/confirm', { code: totpCode(secret, clock.now()) });
    expect(done.statusCode).toBe(200);
    expect(done.json().stage).toBe('full');
    const full = browserOf(t, done);
    expect((await t.app.inject({ url: '/api/me', headers: headersOf(full) })).json().stage).toBe('full');

    // From now on the password alone cannot enrol another app: the new one must be used.
    clock.advance(30_000);
    const again = await passwordStep(account);
    expect((await post(again, '/api/auth/totp/enrolment')).statusCode).toBe(403);
    expect((await post(again, '/api/auth/totp', { code: totpCode(secret, clock.now()) })).statusCode).toBe(200);
  });
});

describe('one-time code by e-mail', () => {
  const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)?.[1];

  it('sends a six-digit code through the SMTP relay, with no health data, and accepts it once', async () => {
    const account = await createTestAccount(t, { totp: false, emailOtp: true });
    const partial = await passwordStep(account);
    const sent = await post(partial, '/api/auth/email-code');
    expect(sent.statusCode).toBe(202);
    const mail = await sink.next(account.email);
    expect(mail.subject).toContain('code de connexion');
    const code = codeIn(mail.text)!;
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.text).toContain('10 minutes');
    expect(mail.text).not.toMatch(/ESSAI|ALIX|1990/);

    const [first, second] = await Promise.all([
      post(partial, '/api/auth/email-code/verify', { code }),
      post(partial, '/api/auth/email-code/verify', { code }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 401]);
    const ok = first.statusCode === 200 ? first : second;
    const full = browserOf(t, ok);
    expect((await t.app.inject({ url: '/api/me', headers: headersOf(full) })).json().authMethods).toEqual(['pwd', 'email']);
  });

  it('refuses a wrong code, a replaced code, and any code once its ten minutes are over', async () => {
    const account = await createTestAccount(t, { totp: false, emailOtp: true });
    const partial = await passwordStep(account);
    await post(partial, '/api/auth/email-code');
    const code = codeIn((await sink.next(account.email)).text)!;
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect((await post(partial, '/api/auth/email-code/verify', { code: wrong })).json().code).toBe('invalid_code');
    // A new code replaces the last: the old one no longer works.
    await post(partial, '/api/auth/email-code');
    const fresh = codeIn((await sink.next(account.email)).text)!;
    if (fresh !== code) {
      expect((await post(partial, '/api/auth/email-code/verify', { code })).json().code).toBe('invalid_code');
    }
    clock.advance(10 * 60_000);
    expect((await post(partial, '/api/auth/email-code/verify', { code: fresh })).statusCode).toBe(401);
  });

  it('limits how many codes one account can ask for', async () => {
    const account = await createTestAccount(t, { totp: false, emailOtp: true });
    const partial = await passwordStep(account);
    for (let i = 0; i < 5; i++) expect((await post(partial, '/api/auth/email-code')).statusCode).toBe(202);
    const sixth = await post(partial, '/api/auth/email-code');
    expect(sixth.statusCode).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('makes e-mail the second factor of an account that had none, at its first use', async () => {
    const account = await createTestAccount(t, { totp: false });
    const partial = await passwordStep(account);
    await post(partial, '/api/auth/email-code');
    const code = codeIn((await sink.next(account.email)).text)!;
    expect((await post(partial, '/api/auth/email-code/verify', { code })).statusCode).toBe(200);
    const next = await loginWithPassword(t, account);
    expect(next.json()).toMatchObject({ methods: ['email'], enrolment: false });
  });

  it('is not offered to an account that uses an authenticator app', async () => {
    const account = await createTestAccount(t);
    const res = await post(await passwordStep(account), '/api/auth/email-code');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('second_factor_unavailable');
  });
});
