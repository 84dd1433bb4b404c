import { normalizePassword } from './password-hasher.ts';
import { commonPasswords } from './common-passwords.ts';

/**
 * What a new password must satisfy, after ASVS 5.0 §6.2 and NIST SP 800-63B §3.1.1.2: long
 * enough, any characters, no composition rules, not common or breached, not the person's own
 * identifiers. Nothing else: no forced mix of letters and digits, no periodic change.
 */
export const MIN_PASSWORD_LENGTH = 12;
/** Far above ASVS 6.2.9's "at least 64"; argon2 takes any length, this only bounds the work. */
export const MAX_PASSWORD_LENGTH = 512;

export type PasswordProblemCode =
  | 'password_too_short'
  | 'password_too_long'
  | 'password_common'
  | 'password_personal';

export interface PasswordProblem {
  code: PasswordProblemCode;
  message: string;
}

/** What a person's password must not contain: their names and identifiers (ASVS 5.0 6.2.11). */
export interface PersonalIdentifiers {
  names?: readonly string[];
  email?: string;
  /** YYYY-MM-DD */
  birthDate?: string;
  /** National identifiers: INS matricule, RPPS… */
  numbers?: readonly string[];
}

/** Lower case, no diacritics, NFKC: how passwords are compared with words and identifiers. */
export const fold = (value: string) =>
  normalizePassword(value).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const SEPARATORS = /[\s._\-'’]+/gu;
/** Digits and symbols around a common word ("Soleil2024!", "!!azerty") do not make it uncommon. */
const DECORATION = /^[^\p{L}]+|[^\p{L}]+$/gu;
const LEET: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '3': 'e', $: 's', '5': 's', '7': 't', '!': 'i' };

const unleet = (value: string, one: 'i' | 'l') =>
  value.replace(/[@40357$!1]/g, (c) => (c === '1' ? one : (LEET[c] ?? c)));

export function checkPassword(password: string, identifiers: PersonalIdentifiers = {}): PasswordProblem[] {
  const length = [...normalizePassword(password)].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return [
      {
        code: 'password_too_short',
        message: `Use at least ${MIN_PASSWORD_LENGTH} characters; a few words make a long password that is easy to remember.`,
      },
    ];
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return [{ code: 'password_too_long', message: `Use at most ${MAX_PASSWORD_LENGTH} characters.` }];
  }
  const problems: PasswordProblem[] = [];
  if (isCommon(password)) {
    problems.push({
      code: 'password_common',
      message: 'This password is one of the most common ones, or a simple variation of one; choose another.',
    });
  }
  if (containsIdentifier(password, identifiers)) {
    problems.push({
      code: 'password_personal',
      message: 'Do not use your name, e-mail address, birth date or national identifiers (INS, RPPS) in your password.',
    });
  }
  return problems;
}

function isCommon(password: string): boolean {
  const folded = fold(password);
  // "aaaaaaaaaaaa", "abababababab": repetition is guessed first (NIST SP 800-63B §3.1.1.2).
  if (new Set(folded).size < 4) return true;
  const list = commonPasswords(fold);
  const core = folded.replace(DECORATION, '');
  const candidates = new Set([folded, folded.replace(SEPARATORS, '')]);
  if ([...core].length >= 4) {
    for (const word of [core, core.replace(SEPARATORS, '')]) {
      candidates.add(word);
      candidates.add(unleet(word, 'i'));
      candidates.add(unleet(word, 'l'));
    }
  }
  for (const whole of [folded, folded.replace(SEPARATORS, '')]) {
    candidates.add(unleet(whole, 'i').replace(DECORATION, ''));
    candidates.add(unleet(whole, 'l').replace(DECORATION, ''));
  }
  return [...candidates].some((candidate) => list.has(candidate));
}

/** Pieces of an identifier worth refusing: whole, and each part of four characters or more. */
function identifierPieces(identifiers: PersonalIdentifiers): string[] {
  const pieces: string[] = [];
  const addWords = (value: string) => {
    const folded = fold(value);
    const words = folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4);
    pieces.push(...words);
    const joined = folded.replace(/[^\p{L}\p{N}]+/gu, '');
    if (joined.length >= 4) pieces.push(joined);
  };
  for (const name of identifiers.names ?? []) addWords(name);
  if (identifiers.email !== undefined) addWords(identifiers.email.split('@')[0] ?? '');
  for (const number of identifiers.numbers ?? []) {
    const digits = fold(number).replace(/\s+/g, '');
    if (digits.length >= 4) pieces.push(digits);
    // An INS matricule is also known without its 2-digit key (the 13-character NIR).
    if (/^[0-9ab]{15}$/.test(digits)) pieces.push(digits.slice(0, 13));
  }
  const date = identifiers.birthDate?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (date) {
    const [, y, m, d] = date;
    pieces.push(`${y}${m}${d}`, `${d}${m}${y}`);
  }
  return pieces;
}

function containsIdentifier(password: string, identifiers: PersonalIdentifiers): boolean {
  const folded = fold(password);
  const squeezed = folded.replace(/[^\p{L}\p{N}]+/gu, '');
  return identifierPieces(identifiers).some((piece) => folded.includes(piece) || squeezed.includes(piece));
}
