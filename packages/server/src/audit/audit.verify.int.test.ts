import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { type Checkpoint, signCheckpoint, writeCheckpoint } from './audit.checkpoint.ts';
import { hashEntry } from './audit.hash.ts';
import { recordAudit } from './audit.service.ts';
import { type CheckpointSigningKey, loadOrCreateSigningKey, signingKeyId } from './audit.signing-key.ts';
import { type AuditProblem, verifyAudit } from './audit.verify.ts';

// Each test tampers with its own patient's chain and keeps its own checkpoint file; verification
// reads the whole database, so each looks only at the problems of its patient.
let t: TestApp;
let signingKey: CheckpointSigningKey;
beforeAll(async () => {
  t = await startTestApp();
  signingKey = await loadOrCreateSigningKey(path.join(t.database.env.CARNET_DATA_DIR, 'audit', 'checkpoint-signing.pem'));
});
afterAll(() => t.close());

const newCheckpointFile = () => path.join(t.database.env.CARNET_DATA_DIR, 'audit', `${randomUUID()}.jsonl`);

/** A chain of `length` entries for a new patient. */
async function chain(length: number): Promise<string> {
  const patientId = randomUUID();
  for (let i = 1; i <= length; i++) {
    await recordAudit(t.deps.db, {
      patientId,
      actorType: 'professional',
      actorId: 'rpps:810002345678',
      action: 'document.read',
      resourceType: 'DocumentReference',
      resourceId: `doc-${i}`,
      purpose: 'care',
      outcome: 'permit',
      reason: 'professional-care',
      sourceIp: '192.0.2.7',
    });
  }
  return patientId;
}

/**
 * Rewrites the log as a database superuser can: with the append-only triggers switched off for the
 * transaction. The application itself cannot (audit.append-only.int.test.ts).
 */
const tamper = (query: RawBuilder<unknown>) =>
  t.deps.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await query.execute(trx);
  });

/** Verifies with small batches, so that chains straddle batch boundaries. */
async function problemsOf(patientId: string, checkpointFile = newCheckpointFile()): Promise<AuditProblem[]> {
  const result = await verifyAudit(t.deps.db, { checkpointFile, publicKey: signingKey.publicKey, batchSize: 3 });
  return result.problems.filter((p) => 'patientId' in p && p.patientId === patientId);
}

describe('verification finds', () => {
  it.each([
    ['a field changed', sql`resource_id = 'doc-9'`],
    ['an outcome turned from permit to deny', sql`outcome = 'deny'`],
    ['a time moved by one microsecond', sql`occurred_at = occurred_at + interval '1 microsecond'`],
    ['an address removed', sql`source_ip = null`],
    ['an address widened to a network', sql`source_ip = '192.0.2.7/24'`],
    ['an entry moved to another actor', sql`actor_type = 'patient', actor_id = 'acct-1'`],
  ])('%s in entry 3, at entry 3', async (_, change) => {
    const patientId = await chain(5);
    await tamper(sql`update audit_entry set ${change} where patient_id = ${patientId} and seq = 3`);
    expect(await problemsOf(patientId)).toEqual([
      { kind: 'modified', patientId, seq: 3, detail: 'its content does not match its hash' },
    ]);
  });

  it('an entry rewritten with a hash recomputed to match, at the entry after it', async () => {
    const patientId = await chain(5);
    const row = await t.deps.db.selectFrom('audit_entry').selectAll().where('patient_id', '=', patientId).where('seq', '=', '3').executeTakeFirstOrThrow();
    const forged = hashEntry({
      patientId, seq: 3n, occurredAtUs: BigInt(row.occurred_at.getTime()) * 1000n, actorType: row.actor_type,
      actorId: row.actor_id, onBehalfOf: null, action: row.action, resourceType: row.resource_type, resourceId: 'doc-9',
      purpose: row.purpose, outcome: row.outcome, reason: row.reason, sourceIp: row.source_ip, prevHash: row.prev_hash,
    });
    await tamper(sql`update audit_entry set resource_id = 'doc-9', hash = ${forged} where patient_id = ${patientId} and seq = 3`);
    expect(await problemsOf(patientId)).toEqual([
      { kind: 'modified', patientId, seq: 4, detail: 'it does not follow entry 3' },
    ]);
  });

  it.each([
    ['entry 3', [3], { seq: 3, count: 1 }],
    ['entries 2 and 3', [2, 3], { seq: 2, count: 2 }],
    ['the first entry', [1], { seq: 1, count: 1 }],
  ])('%s deleted from the middle of a chain, as removed', async (_, seqs, where) => {
    const patientId = await chain(5);
    await tamper(sql`delete from audit_entry where patient_id = ${patientId} and seq in (${sql.join(seqs)})`);
    expect(await problemsOf(patientId)).toEqual([{ kind: 'removed', patientId, ...where }]);
  });

  it('the last entries deleted after a checkpoint, as truncated', async () => {
    const patientId = await chain(5);
    const file = newCheckpointFile();
    const { createdAt } = await writeCheckpoint(t.deps.db, { file, signingKey });
    await tamper(sql`delete from audit_entry where patient_id = ${patientId} and seq >= 4`);
    expect(await problemsOf(patientId, file)).toEqual([
      {
        kind: 'truncated', patientId, seq: 5, lastSeq: 3, checkpointAt: createdAt,
        detail: `the checkpoint of ${createdAt} recorded entry 5; the chain ends at entry 3`,
      },
    ]);
  });

  it('a whole chain deleted after a checkpoint, as truncated', async () => {
    const patientId = await chain(2);
    const file = newCheckpointFile();
    const { createdAt } = await writeCheckpoint(t.deps.db, { file, signingKey });
    await tamper(sql`delete from audit_entry where patient_id = ${patientId}`);
    await tamper(sql`delete from audit_chain_head where patient_id = ${patientId}`);
    expect(await problemsOf(patientId, file)).toEqual([
      expect.objectContaining({ kind: 'truncated', patientId, seq: 2, lastSeq: 0, checkpointAt: createdAt }),
    ]);
  });

  it('a chain cut and grown again to its old length before a new checkpoint, from the older checkpoint', async () => {
    const patientId = await chain(5);
    const file = newCheckpointFile();
    const { createdAt } = await writeCheckpoint(t.deps.db, { file, signingKey });
    await tamper(sql`delete from audit_entry where patient_id = ${patientId} and seq >= 4`);
    await tamper(sql`update audit_chain_head h set seq = 3, hash = e.hash from audit_entry e
                     where h.patient_id = ${patientId} and e.patient_id = h.patient_id and e.seq = 3`);
    await recordAudit(t.deps.db, { patientId, actorType: 'system', actorId: 'x', action: 'noop', outcome: 'permit', reason: 'x' });
    await recordAudit(t.deps.db, { patientId, actorType: 'system', actorId: 'x', action: 'noop', outcome: 'permit', reason: 'x' });
    await writeCheckpoint(t.deps.db, { file, signingKey });
    expect(await problemsOf(patientId, file)).toEqual([
      {
        kind: 'truncated', patientId, seq: 5, lastSeq: 5, checkpointAt: createdAt,
        detail: `the checkpoint of ${createdAt} recorded entry 5; entry 5 is not the one the checkpoint recorded`,
      },
    ]);
  });

  it('a forged checkpoint line, which vouches for nothing', async () => {
    const patientId = await chain(2);
    const file = newCheckpointFile();
    const genuine = await writeCheckpoint(t.deps.db, { file, signingKey });
    const forger = generateKeyPairSync('ed25519');
    const claim: Checkpoint = { ...genuine, heads: [{ patientId, seq: 9, hash: 'ab'.repeat(32) }] };
    await appendFile(file, `${signCheckpoint(claim, forger.privateKey)}\n`);
    await appendFile(file, `${signCheckpoint({ ...claim, keyId: signingKeyId(forger.publicKey) }, forger.privateKey)}\n`);

    const result = await verifyAudit(t.deps.db, { checkpointFile: file, publicKey: signingKey.publicKey });
    expect(result.problems.filter((p) => p.kind === 'bad-checkpoint-signature' || p.patientId === patientId)).toEqual([
      { kind: 'bad-checkpoint-signature', line: 2, detail: 'the signature does not match' },
      { kind: 'bad-checkpoint-signature', line: 3, detail: `signed by another key (${signingKeyId(forger.publicKey)})` },
    ]);
    expect(result.checkpoints).toEqual({ valid: 1, latestAt: genuine.createdAt });
    expect(result.intact).toBe(false);
  });
});
