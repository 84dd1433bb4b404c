import { isValidFiness, isValidNir, isValidRpps } from '@carnet/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { checkPassword } from '../accounts/password-policy.ts';
import { personalIdentifiers } from '../accounts/account.service.ts';
import { findAccount } from '../accounts/account.repository.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_PATIENTS } from './demo.data.ts';
import { seedDemo } from './demo.seed.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const countAll = async (app: TestApp) => ({
  patients: Number((await app.deps.db.selectFrom('patient').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  professionals: Number((await app.deps.db.selectFrom('professional').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  organizations: Number((await app.deps.db.selectFrom('organization').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
});

describe('demo data', () => {
  it('gives every demo person a national identifier with a valid key', async () => {
    t = await startTestApp();
    await seedDemo(t.deps.db);
    const patients = await t.deps.db.selectFrom('patient').selectAll().execute();
    const professionals = await t.deps.db.selectFrom('professional').selectAll().execute();
    const organizations = await t.deps.db.selectFrom('organization').selectAll().execute();
    expect(patients.map((p) => p.ins_matricule).filter((ins) => !isValidNir(ins))).toEqual([]);
    expect(professionals.map((p) => p.rpps).filter((rpps) => !isValidRpps(rpps))).toEqual([]);
    expect(organizations.map((o) => o.finess).filter((finess) => !isValidFiness(finess))).toEqual([]);
    expect(patients.map((p) => p.birth_date)).toContain('1984-03-15');
  });

  it('reseeds to the same demo population and keeps everyone else', async () => {
    t = await startTestApp();
    await seedDemo(t.deps.db);
    await t.deps.db
      .insertInto('organization')
      .values({ organization_id: '11111111-1111-4111-8111-111111111111', finess: '690000021', name: 'Autre' })
      .execute();
    await t.deps.db.deleteFrom('patient_ins').where('patient_id', '=', DEMO_PATIENTS[0].patient_id).execute();
    await seedDemo(t.deps.db);
    expect(await countAll(t)).toEqual({ patients: 4, professionals: 3, organizations: 2 });
    expect(await t.deps.db.selectFrom('account').select('account_id').execute()).toHaveLength(DEMO_ACCOUNTS.length);
    const routed = await t.deps.db.selectFrom('patient_ins').selectAll().execute();
    expect(routed).toHaveLength(4);
    // Camille's treating doctor is Dr Bernard, once, however often the demo is reseeded; the nurse has no role.
    expect(await t.deps.db.selectFrom('professional_role').select(['patient_id', 'rpps', 'role']).execute()).toEqual([
      { patient_id: DEMO_PATIENTS[0].patient_id, rpps: '10001234565', role: 'MEDECIN_TRAITANT' },
    ]);
  });

  it('gives every demo patient, professional and the operator a login that passes the password policy', async () => {
    t = await startTestApp();
    await seedDemo(t.deps.db);
    const accounts = await t.deps.db.selectFrom('account').selectAll().execute();
    expect(accounts.map((a) => a.kind).sort()).toEqual([
      'operator',
      'patient',
      'patient',
      'patient',
      'patient',
      'professional',
      'professional',
      'professional',
    ]);
    const holders = await t.deps.db.selectFrom('patient_holder').selectAll().execute();
    expect(holders.map((h) => h.patient_id).sort()).toEqual(DEMO_PATIENTS.map((p) => p.patient_id).sort());
    for (const account of accounts) {
      // No second factor yet: it is enrolled at the first login.
      expect(account.totp_secret).toBeNull();
      expect(await t.deps.passwordHasher.verify(account.password_hash!, DEMO_PASSWORD)).toBe(true);
      const row = (await findAccount(t.deps.db, account.account_id))!;
      expect(checkPassword(DEMO_PASSWORD, await personalIdentifiers(t.deps.db, row)), account.email).toEqual([]);
    }
  });
});
