import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from './password-hasher.ts';

const hasher = await createPasswordHasher();

describe('password hashing (ASVS 5.0 11.4.2)', () => {
  it('stores an argon2id PHC string with OWASP parameters, never the password', async () => {
    const stored = await hasher.hash('tulipe verte du matin');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored).not.toContain('tulipe');
  });

  it('verifies any unicode password it hashed, and nothing else (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 12, maxLength: 128 }), async (password) => {
        const stored = await hasher.hash(password);
        expect(await hasher.verify(stored, password)).toBe(true);
        expect(await hasher.verify(stored, `${password}x`)).toBe(false);
      }),
      { numRuns: 15 },
    );
  });

  it('does not truncate: a 200-character password differs from its first 128 characters', async () => {
    const long = 'a'.repeat(150) + 'différent à la fin du long mot de passe';
    const stored = await hasher.hash(long);
    expect(await hasher.verify(stored, long.slice(0, 128))).toBe(false);
    expect(await hasher.verify(stored, long)).toBe(true);
  });

  it('treats the composed and decomposed forms of an accent as the same password (NFKC)', async () => {
    const stored = await hasher.hash('café crème du matin');
    expect(await hasher.verify(stored, 'cafe\u0301 cre\u0300me du matin')).toBe(true);
  });

  it('answers false, not an error, for a malformed stored hash', async () => {
    expect(await hasher.verify('not-a-hash', 'whatever password')).toBe(false);
  });
});
