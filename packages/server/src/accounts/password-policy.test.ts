import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-policy.ts';

const codes = (password: string, identifiers = {}) => checkPassword(password, identifiers).map((p) => p.code);

describe('password length (ASVS 5.0 6.2.1, 6.2.9)', () => {
  it('refuses fewer than 12 characters, counted as characters, not bytes', () => {
    expect(codes('tulipe-vert')).toEqual(['password_too_short']);
    expect(codes('tulipe-verte')).toEqual([]);
    // 12 characters, 24 UTF-16 units: emoji and accents count once each.
    expect(codes('🌷🌿🍀🌼🌻🌹🌸🪻🌺🌾🍁🍂')).toEqual([]);
    expect(codes('é'.repeat(4) + 'tulipe')).toEqual(['password_too_short']);
  });

  it('accepts 128 characters and more, up to 512', () => {
    const long = 'la mer qui monte emporte les coquillages '.repeat(10);
    expect([...long].length).toBeGreaterThan(128);
    expect(codes(long.slice(0, 128))).toEqual([]);
    expect(codes(long)).toEqual([]);
    expect(codes('x9'.repeat(MAX_PASSWORD_LENGTH))).toEqual(['password_too_long']);
  });

  it('accepts any characters and imposes no composition rule', () => {
    for (const password of ['only lower case words here', 'ÉCRIT EN MAJUSCULES ÇA MARCHE', '密码是很长的句子而且不常见', 'tab\tand spaces  too']) {
      expect(codes(password), password).toEqual([]);
    }
  });

  it('counts any unicode string of 12 to 200 characters as long enough (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: MIN_PASSWORD_LENGTH, maxLength: 200 }).filter((s) => new Set(s).size >= 8),
        (password) => {
          const problems = codes(password).filter((c) => c === 'password_too_short' || c === 'password_too_long');
          expect(problems).toEqual([]);
        },
      ),
    );
  });
});

describe('common and breached passwords (ASVS 5.0 6.2.4, 6.2.12)', () => {
  it.each([
    'motdepasse123',
    'MotDePasse2024',
    'azertyuiop123',
    'AZERTYUIOP!!!',
    '123456789012',
    'qwertyuiop123',
    'P@ssw0rd2024!!',
    'password123456',
    'Soleil2026!!!',
    'mot de passe 2024',
    'iloveyou1234',
    'aaaaaaaaaaaa',
    'abababababab',
  ])('refuses %s, whatever its case', (password) => {
    expect(codes(password)).toContain('password_common');
  });

  it('keeps uncommon passphrases', () => {
    expect(codes('cheval correct agrafe batterie')).toEqual([]);
    expect(codes('Le chat dort sur le radiateur')).toEqual([]);
  });
});

describe("the person's own identifiers (ASVS 5.0 6.2.11)", () => {
  const camille = {
    names: ['CAMILLE ANNE', 'DURAND'],
    email: 'camille.durand@exemple.fr',
    birthDate: '1984-03-15',
    numbers: ['284037511201238'],
  };

  it.each([
    ['her family name', 'Durand-de-la-plage'],
    ['her first name, with an accent she did not type', 'camîlle et ses chats'],
    ['her INS', 'mon ins 284037511201238'],
    ['her NIR without the key', 'x2840375112012'],
    ['her birth date', 'née le 15031984 !'],
    ['her e-mail local part', 'camilledurand-secret'],
  ])('refuses a password containing %s', (_what, password) => {
    expect(codes(password, camille)).toContain('password_personal');
  });

  it("refuses a professional's RPPS number", () => {
    expect(codes('rpps-10001234565-ok', { names: ['Claire', 'BERNARD'], numbers: ['10001234565'] })).toContain('password_personal');
  });

  it('does not refuse short name parts found inside ordinary words', () => {
    expect(codes('clear blue pleasant sky', { names: ['LEA', 'PETIT'] })).toEqual([]);
  });
});
