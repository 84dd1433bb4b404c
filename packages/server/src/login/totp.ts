import { Secret, TOTP } from 'otpauth';

/**
 * TOTP (RFC 6238) as authenticator apps implement it: HMAC-SHA-1, 6 digits, 30-second steps,
 * with a 160-bit secret (RFC 4226 §4 R6).
 */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
const ISSUER = 'Carnet';

export const generateTotpSecret = () => new Secret({ size: 20 }).base32;

/** The otpauth:// URI the QR code carries (Key Uri Format, as Google Authenticator reads it). */
export function totpUri(secretBase32: string, accountLabel: string): string {
  return new TOTP({
    issuer: ISSUER,
    label: accountLabel,
    secret: Secret.fromBase32(secretBase32),
    digits: DIGITS,
    period: PERIOD_SECONDS,
    algorithm: 'SHA1',
  }).toString();
}

/**
 * The time step a code belongs to, or null when it matches none near `now`. One step either side
 * is accepted for clock drift and typing time (RFC 6238 §5.2, §6): a code is good for at most
 * 90 seconds, then "expired". The caller must refuse a step already used (replay, §5.2).
 */
export function totpStep(secretBase32: string, code: string, now: Date): number | null {
  const token = code.replace(/\s+/g, '');
  if (!new RegExp(`^\\d{${DIGITS}}$`).test(token)) return null;
  const timestamp = now.getTime();
  const delta = TOTP.validate({
    token,
    secret: Secret.fromBase32(secretBase32),
    digits: DIGITS,
    period: PERIOD_SECONDS,
    algorithm: 'SHA1',
    timestamp,
    window: 1,
  });
  if (delta === null) return null;
  return TOTP.counter({ period: PERIOD_SECONDS, timestamp }) + delta;
}

/** The code an authenticator app would show at `at` (tests, and the e2e browser test). */
export function totpCode(secretBase32: string, at: Date): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    digits: DIGITS,
    period: PERIOD_SECONDS,
    algorithm: 'SHA1',
    timestamp: at.getTime(),
  });
}
