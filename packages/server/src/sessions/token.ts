import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A bearer secret (session cookie, reset link, OpenID Connect flow handle): 256 random bits,
 * base64url. ASVS 5.0 7.2.3 asks for at least 128 bits of entropy.
 */
export const newToken = () => randomBytes(32).toString('base64url');

/**
 * What the database keeps of a bearer secret: its SHA-256. The token has 256 bits of entropy, so
 * a fast hash is enough (no guessing to slow down), and a leaked table opens nothing.
 */
export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** Compares two secrets in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}
