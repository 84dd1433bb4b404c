import { readFileSync } from 'node:fs';
import path from 'node:path';

const LIST = path.join(import.meta.dirname, 'common-passwords.txt');

let cached: ReadonlySet<string> | undefined;

/**
 * The shipped list of breached and common passwords (ASVS 5.0 6.2.4; NIST SP 800-63B §3.1.1.2
 * "passwords obtained from previous breach corpuses … commonly-used, expected, or compromised"),
 * folded with `fold` so that it is compared case- and accent-insensitively. Read once.
 */
export function commonPasswords(fold: (value: string) => string): ReadonlySet<string> {
  cached ??= new Set(
    readFileSync(LIST, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map(fold),
  );
  return cached;
}
