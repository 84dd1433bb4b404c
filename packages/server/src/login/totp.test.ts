import { describe, expect, it } from 'vitest';
import { generateTotpSecret, totpCode, totpStep, totpUri } from './totp.ts';

// RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890", 8-digit codes. Ours are 6 digits,
// the last six of the same HOTP value (RFC 4226 §5.3 truncation keeps the low digits).
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP (RFC 6238)', () => {
  it('computes the RFC 6238 test vectors (last six digits)', () => {
    expect(totpCode(RFC_SECRET, new Date(59_000))).toBe('287082');
    expect(totpCode(RFC_SECRET, new Date(1_111_111_109_000))).toBe('081804');
    expect(totpCode(RFC_SECRET, new Date(2_000_000_000_000))).toBe('279037');
  });

  it('makes 160-bit secrets and an otpauth URI that names Carnet and the account', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = totpUri(secret, 'camille@example.fr');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Carnet:camille%40example\.fr\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('issuer=Carnet');
  });

  it('accepts the current code and one step either side, and tells which step it was', () => {
    const secret = generateTotpSecret();
    const now = new Date('2026-03-01T10:00:15Z');
    const step = Math.floor(now.getTime() / 30_000);
    expect(totpStep(secret, totpCode(secret, now), now)).toBe(step);
    expect(totpStep(secret, totpCode(secret, new Date(now.getTime() - 30_000)), now)).toBe(step - 1);
    expect(totpStep(secret, totpCode(secret, new Date(now.getTime() + 30_000)), now)).toBe(step + 1);
  });

  it('refuses a code more than one step old (expired) and codes that are not six digits', () => {
    const secret = generateTotpSecret();
    const now = new Date('2026-03-01T10:00:15Z');
    expect(totpStep(secret, totpCode(secret, new Date(now.getTime() - 90_000)), now)).toBeNull();
    expect(totpStep(secret, '12345', now)).toBeNull();
    expect(totpStep(secret, 'abcdef', now)).toBeNull();
  });

  it('accepts a code typed with a space in the middle', () => {
    const secret = generateTotpSecret();
    const now = new Date('2026-03-01T10:00:15Z');
    const code = totpCode(secret, now);
    expect(totpStep(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now)).not.toBeNull();
  });
});
