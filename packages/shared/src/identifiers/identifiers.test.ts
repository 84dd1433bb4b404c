import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidFiness } from './finess.ts';
import { hasValidLuhn, luhnCheckDigit } from './luhn.ts';
import { isValidNir, nirKey, withNirKey } from './nir.ts';
import { isValidRpps } from './rpps.ts';

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

/** Every string that differs from `s` in exactly one position, within `alphabet`. */
function singleChanges(s: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    for (const c of alphabet) if (c !== s[i]) out.push(s.slice(0, i) + c + s.slice(i + 1));
  }
  return out;
}

const nirBody = fc
  .tuple(
    fc.constantFrom('1', '2'),
    digits(2),
    fc.integer({ min: 1, max: 12 }).map((m) => String(m).padStart(2, '0')),
    fc.constantFrom('75', '69', '13', '2A', '2B', '97'),
    digits(3),
    digits(3),
  )
  .map((parts) => parts.join(''));

describe('INS matricule (NIR) key', () => {
  it('matches a published example', () => {
    // 1 84 12 76 451 089 → key 46 (the classic example of the key computation).
    expect(nirKey('1841276451089')).toBe(46);
  });

  it('accepts every matricule with its computed key and refuses any single-character change', () => {
    fc.assert(
      fc.property(nirBody, (body) => {
        const matricule = withNirKey(body);
        expect(isValidNir(matricule)).toBe(true);
        for (const changed of singleChanges(matricule, '0123456789AB')) expect(isValidNir(changed)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('counts Corsica 2A as 19 and 2B as 18', () => {
    expect(nirKey('150112A004007')).toBe(97 - Number(1501119004007n % 97n));
    expect(nirKey('150112B004007')).toBe(97 - Number(1501118004007n % 97n));
  });
});

describe('Luhn keys (RPPS, FINESS)', () => {
  it('accepts every number with its key and refuses any single-digit change', () => {
    fc.assert(
      fc.property(digits(10), (body) => {
        const rpps = body + luhnCheckDigit(body);
        expect(isValidRpps(rpps)).toBe(true);
        for (const changed of singleChanges(rpps, '0123456789')) expect(isValidRpps(changed)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('validates FINESS numbers, including Corsica', () => {
    fc.assert(
      fc.property(fc.constantFrom('75', '69', '97', '2A', '2B'), digits(6), (dept, order) => {
        const body = dept + order;
        const finess = body + luhnCheckDigit(body.replace(/^2[AB]/, '20'));
        expect(isValidFiness(finess)).toBe(true);
        for (const changed of singleChanges(finess, '0123456789')) expect(isValidFiness(changed)).toBe(false);
      }),
    );
  });

  it('refuses what is not a number', () => {
    expect(hasValidLuhn('1000123456x')).toBe(false);
    expect(isValidRpps('1000123456')).toBe(false);
  });
});
