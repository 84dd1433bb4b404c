import { isValidFiness, isValidNir, isValidRpps } from '@carnet/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { DEMO_PATIENTS } from './demo.data.ts';
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
    const routed = await t.deps.db.selectFrom('patient_ins').selectAll().execute();
    expect(routed).toHaveLength(4);
  });
});
