import { randomInt } from 'node:crypto';
import { isValidRpps } from '@carnet/shared';
import type { TestAccount } from '../../test/identity.ts';
import type { TestApp } from '../../test/test-app.ts';

/** A random RPPS number with a valid Luhn key (test accounts get random digits, not always valid). */
export function randomValidRpps(): string {
  const body = `1${String(randomInt(0, 10 ** 9)).padStart(9, '0')}`;
  for (let key = 0; key < 10; key++) if (isValidRpps(`${body}${key}`)) return `${body}${key}`;
  throw new Error('unreachable: one Luhn key in ten fits');
}

/** Gives a test professional a valid RPPS (and a profession), as the directory would; returns it. */
export async function registerProfessional(t: TestApp, account: TestAccount, professionCode = '10'): Promise<string> {
  const rpps = randomValidRpps();
  await t.deps.db
    .updateTable('professional')
    .set({ rpps, profession_code: professionCode })
    .where('professional_id', '=', account.professionalId!)
    .execute();
  return rpps;
}
