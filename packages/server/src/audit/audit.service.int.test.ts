import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { writeCheckpoint } from './audit.checkpoint.ts';
import { type AuditRecord, SYSTEM_CHAIN_ID } from './audit.entry.ts';
import { GENESIS_HASH } from './audit.hash.ts';
import { listAuditEntries, recordAudit } from './audit.service.ts';
import { loadOrCreateSigningKey } from './audit.signing-key.ts';
import { verifyAudit } from './audit.verify.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  // Not t.close(): pg's pool.end() resolves before its connections have closed, and dropping the
  // test database then kills them, an unhandled 'error' from the pool. The 50 concurrent appends
  // below open every connection of the pool, which makes that race likely; give them time to close.
  await t.app.close();
  await t.deps.close();
  await new Promise((resolve) => setTimeout(resolve, 250));
  await t.database.drop();
});

const aRead = (patientId: string | null, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  patientId,
  actorType: 'professional',
  actorId: 'rpps:810002345678',
  action: 'document.read',
  resourceType: 'DocumentReference',
  resourceId: 'doc-1',
  purpose: 'care',
  outcome: 'permit',
  reason: 'professional-care',
  sourceIp: '192.0.2.7',
  ...overrides,
});
const rowsOf = (patientId: string) =>
  t.deps.db.selectFrom('audit_entry').selectAll().where('patient_id', '=', patientId).orderBy('seq').execute();

describe('recording', () => {
  it("numbers each patient's chain from 1, each entry pointing at the one before, whatever other patients do", async () => {
    const [camille, lucas] = [randomUUID(), randomUUID()];
    for (const patientId of [camille, lucas, camille, lucas, camille]) {
      await recordAudit(t.deps.db, aRead(patientId));
    }
    const camilleRows = await rowsOf(camille);
    expect(camilleRows.map((r) => Number(r.seq))).toEqual([1, 2, 3]);
    expect((await rowsOf(lucas)).map((r) => Number(r.seq))).toEqual([1, 2]);
    expect(camilleRows[0]!.prev_hash.equals(GENESIS_HASH)).toBe(true);
    expect(camilleRows[1]!.prev_hash.equals(camilleRows[0]!.hash)).toBe(true);
    expect(camilleRows[2]!.prev_hash.equals(camilleRows[1]!.hash)).toBe(true);
  });

  it('keeps no entry of a transaction that rolls back, and the chain goes on from where it was', async () => {
    const patientId = randomUUID();
    await recordAudit(t.deps.db, aRead(patientId));
    await expect(
      t.deps.db.transaction().execute(async (trx) => {
        await recordAudit(trx, aRead(patientId, { action: 'document.write' }));
        throw new Error('the change being audited failed');
      }),
    ).rejects.toThrow('the change being audited failed');
    expect((await rowsOf(patientId)).map((r) => r.action)).toEqual(['document.read']);

    const next = await t.deps.db.transaction().execute((trx) => recordAudit(trx, aRead(patientId)));
    expect(next.seq).toBe(2);
  });

  it('keeps no entry when the very first entry of a chain rolls back', async () => {
    const patientId = randomUUID();
    const trx = await t.deps.db.startTransaction().execute();
    await recordAudit(trx, aRead(patientId));
    await trx.rollback().execute();
    expect(await rowsOf(patientId)).toEqual([]);
    expect((await recordAudit(t.deps.db, aRead(patientId))).seq).toBe(1);
  });

  it('appends 50 concurrent entries for one new patient as one chain without gaps or forks', async () => {
    // Security checklist I3. The first appends race to create the chain's head, too.
    const patientId = randomUUID();
    const entries = await Promise.all(
      Array.from({ length: 50 }, (_, i) => recordAudit(t.deps.db, aRead(patientId, { resourceId: `doc-${i}` }))),
    );
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const rows = await rowsOf(patientId);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash.equals(rows[i - 1]!.hash)).toBe(true);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "makes a patient's entries wait for an open transaction on their chain, never another patient's",
    async () => {
      // PGlite runs one transaction at a time, so only a real server shows the locks.
      const [camille, lucas] = [randomUUID(), randomUUID()];
      await recordAudit(t.deps.db, aRead(camille));
      const open = await t.deps.db.startTransaction().execute();
      await recordAudit(open, aRead(camille));

      const lucasEntry = await recordAudit(t.deps.db, aRead(lucas));
      expect(lucasEntry.seq).toBe(1);
      let camilleDone = false;
      const camilleNext = recordAudit(t.deps.db, aRead(camille)).then((e) => ((camilleDone = true), e));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(camilleDone).toBe(false);
      await open.commit().execute();
      expect((await camilleNext).seq).toBe(3);
    },
  );

  it('gives every caller of concurrent appends across many patients its own entry, each chain whole', async () => {
    // 30 patients × 8 appends at once: more than one batch holds, some chains begun before, others
    // not, several entries of one patient in the same batch.
    const patients = Array.from({ length: 30 }, () => randomUUID());
    for (const patientId of patients.slice(0, 10)) await recordAudit(t.deps.db, aRead(patientId, { resourceId: 'before' }));
    const calls = patients.flatMap((patientId) => Array.from({ length: 8 }, (_, i) => ({ patientId, resourceId: `doc-${i}` })));
    // A few are changes, recorded in their own transaction among the others: the chain moves
    // under the batches' feet.
    const record = ({ patientId, resourceId }: (typeof calls)[number], i: number) =>
      i % 16 === 3
        ? t.deps.db.transaction().execute((trx) => recordAudit(trx, aRead(patientId, { resourceId, action: 'document.write' })))
        : recordAudit(t.deps.db, aRead(patientId, { resourceId, actorId: `rpps:"{quoted}\\ NULL, ${i}` }));
    const entries = await Promise.all(calls.map(record));

    for (const [i, entry] of entries.entries()) {
      expect(entry).toMatchObject({ patientId: calls[i]!.patientId, resourceId: calls[i]!.resourceId });
    }
    for (const [index, patientId] of patients.entries()) {
      const rows = await rowsOf(patientId);
      const offset = index < 10 ? 1 : 0;
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 8 + offset }, (_, i) => i + 1));
      // The row at each caller's seq is that caller's entry.
      for (const entry of entries.filter((e) => e.patientId === patientId)) {
        const row = rows[entry.seq - 1]!;
        expect([row.resource_id, row.actor_id, row.action]).toEqual([entry.resourceId, entry.actorId, entry.action]);
      }
      expect(rows[0]!.prev_hash.equals(GENESIS_HASH)).toBe(true);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash.equals(rows[i - 1]!.hash)).toBe(true);
      const head = await t.deps.db.selectFrom('audit_chain_head').selectAll().where('patient_id', '=', patientId).executeTakeFirstOrThrow();
      expect([Number(head.seq), head.hash.equals(rows.at(-1)!.hash)]).toEqual([rows.length, true]);
    }
    const dir = path.join(t.database.env.CARNET_DATA_DIR, 'audit');
    const signingKey = await loadOrCreateSigningKey(path.join(dir, 'checkpoint-signing.pem'));
    const verification = await verifyAudit(t.deps.db, { checkpointFile: path.join(dir, 'none.jsonl'), publicKey: signingKey.publicKey });
    expect(verification.problems).toEqual([]);
  });

  it('fails every access of a batch that cannot be written, and leaves the chains as they were', async () => {
    const patients = [randomUUID(), randomUUID(), randomUUID()];
    for (const patientId of patients) await recordAudit(t.deps.db, aRead(patientId));
    // A handle on which every write fails, as if the database refused them.
    const failing = t.deps.db.withPlugin({
      transformQuery: ({ node }) => {
        if (node.kind !== 'SelectQueryNode') throw new Error('the database refused the write');
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const outcomes = await Promise.allSettled(patients.flatMap((patientId) => [recordAudit(failing, aRead(patientId)), recordAudit(failing, aRead(patientId))]));
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill('rejected'));
    for (const patientId of patients) expect((await rowsOf(patientId)).map((r) => Number(r.seq))).toEqual([1]);
    expect((await recordAudit(t.deps.db, aRead(patients[0]!))).seq).toBe(2);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "writes the other patients' entries of a batch while one patient's chain is held by an open transaction",
    async () => {
      const [camille, lucas] = [randomUUID(), randomUUID()];
      await recordAudit(t.deps.db, aRead(camille));
      await recordAudit(t.deps.db, aRead(lucas));
      const open = await t.deps.db.startTransaction().execute();
      await recordAudit(open, aRead(camille));

      // Recorded in the same turn of the event loop: one batch.
      let camilleDone = false;
      const camilleNext = recordAudit(t.deps.db, aRead(camille)).then((e) => ((camilleDone = true), e));
      const lucasNext = recordAudit(t.deps.db, aRead(lucas));
      expect((await lucasNext).seq).toBe(2);
      expect(camilleDone).toBe(false);
      await open.commit().execute();
      expect((await camilleNext).seq).toBe(3);
    },
  );

  it('puts entries about no patient in the system chain', async () => {
    const before = await listAuditEntries(t.deps.db, null, { limit: 1 });
    const entry = await recordAudit(
      t.deps.db,
      aRead(null, { actorType: 'operator', actorId: 'op-1', action: 'settings.write', resourceType: null, resourceId: null, purpose: 'support' }),
    );
    expect(entry).toMatchObject({ patientId: SYSTEM_CHAIN_ID, seq: (before[0]?.seq ?? 0) + 1 });
  });
});

describe("a patient's access history", () => {
  it('lists entries newest first, by actor type, a page at a time', async () => {
    const patientId = randomUUID();
    const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute, 0, 123));
    await recordAudit(t.deps.db, aRead(patientId, { occurredAt: at(1) }));
    await recordAudit(t.deps.db, aRead(patientId, { occurredAt: at(2), actorType: 'patient', actorId: 'acct-1', reason: 'own-record', purpose: 'self-service' }));
    await recordAudit(t.deps.db, aRead(patientId, { occurredAt: at(3), outcome: 'deny', reason: 'purpose-not-allowed', sourceIp: '2001:DB8::7' }));
    await recordAudit(t.deps.db, aRead(randomUUID()));

    const all = await listAuditEntries(t.deps.db, patientId, { limit: 10 });
    expect(all.map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(all[0]).toEqual({
      patientId,
      seq: 3,
      occurredAt: at(3),
      actorType: 'professional',
      actorId: 'rpps:810002345678',
      onBehalfOf: null,
      action: 'document.read',
      resourceType: 'DocumentReference',
      resourceId: 'doc-1',
      purpose: 'care',
      outcome: 'deny',
      reason: 'purpose-not-allowed',
      sourceIp: '2001:db8::7',
    });
    const professionals = await listAuditEntries(t.deps.db, patientId, { actorType: 'professional', limit: 10 });
    expect(professionals.map((e) => e.seq)).toEqual([3, 1]);
    const firstPage = await listAuditEntries(t.deps.db, patientId, { limit: 2 });
    const secondPage = await listAuditEntries(t.deps.db, patientId, { limit: 2, before: firstPage.at(-1)!.seq });
    expect([...firstPage, ...secondPage].map((e) => e.seq)).toEqual([3, 2, 1]);
  });
});

describe('verification', () => {
  // Last in this file, which tampers with nothing: the whole log must check out.
  it('finds every chain intact after normal writes and a checkpoint', async () => {
    const dir = path.join(t.database.env.CARNET_DATA_DIR, 'audit');
    const signingKey = await loadOrCreateSigningKey(path.join(dir, 'checkpoint-signing.pem'));
    const file = path.join(dir, 'checkpoints.jsonl');
    const checkpoint = await writeCheckpoint(t.deps.db, { file, signingKey, batchSize: 4 });
    const { count } = await t.deps.db
      .selectFrom('audit_entry')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    await recordAudit(t.deps.db, aRead(randomUUID()));

    const result = await verifyAudit(t.deps.db, { checkpointFile: file, publicKey: signingKey.publicKey, batchSize: 7 });
    expect(result).toEqual({
      intact: true,
      chains: checkpoint.heads.length + 1,
      entries: Number(count) + 1,
      checkpoints: { valid: 1, latestAt: checkpoint.createdAt },
      problems: [],
      unlistedProblems: 0,
    });
    expect(checkpoint.heads.length).toBeGreaterThan(4); // read in several batches
  });
});
