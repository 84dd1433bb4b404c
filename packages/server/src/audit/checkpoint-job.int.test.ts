import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { loadConfig } from '../config.ts';
import { startCarnet, stopGracefully } from '../server.ts';
import { loadPublicKey, PUBLIC_KEY_FILE } from './audit.signing-key.ts';
import { recordAudit } from './audit.service.ts';
import { verifyAudit } from './audit.verify.ts';
import { type CheckpointJob, type CheckpointJobLog, startCheckpointJob } from './checkpoint-job.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** A log that keeps what the job said, so a test can wait for its next round. */
function recordingLog() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: object, message: string) => void lines.push({ level, fields: fields as Record<string, unknown>, message });
  const log: CheckpointJobLog = { info: at('info'), debug: at('debug'), error: at('error') };
  return { log, lines };
}

const newAuditDir = () => path.join(t.database.env.CARNET_DATA_DIR, `audit-${randomUUID()}`);

const record = (patientId: string, resourceId: string) =>
  recordAudit(t.deps.db, {
    patientId,
    actorType: 'professional',
    actorId: 'rpps:810002345678',
    action: 'document.read',
    resourceType: 'DocumentReference',
    resourceId,
    purpose: 'care',
    outcome: 'permit',
    reason: 'professional-care',
    sourceIp: '192.0.2.7',
  });

async function linesOf(job: CheckpointJob) {
  try {
    return (await readFile(job.file, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { heads: { patientId: string; seq: number }[] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function verify(auditDir: string, job: CheckpointJob) {
  const publicKey = await loadPublicKey(path.join(auditDir, PUBLIC_KEY_FILE));
  return verifyAudit(t.deps.db, { checkpointFile: job.file, publicKey });
}

describe('the audit checkpoint job', () => {
  it('signs a checkpoint every interval when a chain moved, and writes nothing when none did', async () => {
    const auditDir = newAuditDir();
    const { log, lines } = recordingLog();
    const job = await startCheckpointJob({ db: t.deps.db, auditDir, intervalMs: 50, log });
    const rounds = () => lines.filter((l) => l.message.startsWith('audit checkpoint')).length;
    try {
      const [camille, lucas] = [randomUUID(), randomUUID()];
      await record(camille, 'doc-1');
      await record(camille, 'doc-2');
      await record(lucas, 'doc-1');

      await vi.waitFor(async () => expect(await linesOf(job)).toHaveLength(1), { timeout: 5_000 });
      const [first] = await linesOf(job);
      expect(first!.heads).toEqual(
        expect.arrayContaining([expect.objectContaining({ patientId: camille, seq: 2 }), expect.objectContaining({ patientId: lucas, seq: 1 })]),
      );
      const result = await verify(auditDir, job);
      expect(result).toMatchObject({ intact: true, checkpoints: { valid: 1 } });

      // Nothing moved: the next rounds run and write nothing.
      const seen = rounds();
      await vi.waitFor(() => expect(rounds()).toBeGreaterThanOrEqual(seen + 2), { timeout: 5_000 });
      expect(lines.slice(seen).map((l) => l.fields.round)).toContain('unchanged');
      expect(await linesOf(job)).toHaveLength(1);

      await record(lucas, 'doc-2');
      await vi.waitFor(async () => expect(await linesOf(job)).toHaveLength(2), { timeout: 5_000 });
      expect((await linesOf(job))[1]!.heads).toContainEqual(expect.objectContaining({ patientId: lucas, seq: 2 }));
      expect(await verify(auditDir, job)).toMatchObject({ intact: true, checkpoints: { valid: 2 } });
      expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    } finally {
      await job.stop();
    }
  });

  it('logs a failed round without stopping, and the next round catches up', async () => {
    const auditDir = newAuditDir();
    const { log, lines } = recordingLog();
    const job = await startCheckpointJob({ db: t.deps.db, auditDir, intervalMs: 3_600_000, log });
    try {
      await record(randomUUID(), 'doc-1');
      // A folder where the checkpoint file should be: appending fails.
      await mkdir(job.file);
      expect(await job.runRound()).toBe('failed');
      expect(lines.at(-1)).toMatchObject({ level: 'error', message: 'audit checkpoint failed; the next round tries again' });
      await rm(job.file, { recursive: true });
      expect(await job.runRound()).toBe('written');
      expect(await job.runRound()).toBe('unchanged');
    } finally {
      await job.stop();
    }
  });

  it('writes a last checkpoint at shutdown, once requests in flight have answered', async () => {
    const auditDir = newAuditDir();
    let release: () => void = () => {};
    let started: () => void = () => {};
    const inRoute = new Promise<void>((resolve) => (started = resolve));
    const patientId = randomUUID();
    const app = await startTestApp({
      prepare(server) {
        server.get('/api/slow-audited', async () => {
          await new Promise<void>((resolve) => {
            release = resolve;
            started();
          });
          await recordAudit(app.deps.db, {
            patientId,
            actorType: 'patient',
            actorId: 'acct-1',
            action: 'document.read',
            outcome: 'permit',
            reason: 'patient-own-space',
          });
          return { done: true };
        });
      },
    });
    try {
      const job = await startCheckpointJob({ db: app.deps.db, auditDir, intervalMs: 3_600_000, log: recordingLog().log });
      const address = await app.app.listen({ port: 0, host: '127.0.0.1' });
      const inFlight = fetch(`${address}/api/slow-audited`);
      await inRoute;
      const stopping = stopGracefully(app.app, app.deps, 10_000, job);
      release();
      expect((await inFlight).status).toBe(200);
      await stopping;

      const written = (await readFile(job.file, 'utf8')).split('\n').filter(Boolean);
      expect(written).toHaveLength(1);
      expect(JSON.parse(written[0]!).heads).toContainEqual(expect.objectContaining({ patientId, seq: 1 }));
    } finally {
      await app.database.drop();
    }
  });

  // Embedded, every connection shares PGlite's one session, where an advisory lock is re-entrant.
  it.skipIf(!process.env.DATABASE_URL)('leaves the round to another node that holds the lock', async () => {
    const auditDir = newAuditDir();
    const job = await startCheckpointJob({ db: t.deps.db, auditDir, intervalMs: 3_600_000, log: recordingLog().log });
    const otherNode = new pg.Client({ connectionString: t.database.env.DATABASE_URL });
    await otherNode.connect();
    try {
      await record(randomUUID(), 'doc-1');
      await otherNode.query('select pg_advisory_lock(7360134521066001)');
      expect(await job.runRound()).toBe('busy');
      expect(await linesOf(job)).toEqual([]);
      await otherNode.query('select pg_advisory_unlock(7360134521066001)');
      expect(await job.runRound()).toBe('written');
    } finally {
      await otherNode.end();
      await job.stop();
    }
  });

  it('runs in Carnet: every CARNET_AUDIT_CHECKPOINT_INTERVAL seconds into CARNET_AUDIT_DIR, and at stop', async () => {
    const database = await createTestDatabase();
    try {
      const env = { ...database.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', CARNET_DEMO: '0' };
      const off = await startCarnet(loadConfig({ ...env, CARNET_AUDIT_CHECKPOINT_INTERVAL: '0' }));
      await off.stop();
      expect(await readdir(database.env.CARNET_DATA_DIR)).not.toContain('audit');

      const carnet = await startCarnet(loadConfig({ ...env, CARNET_AUDIT_CHECKPOINT_INTERVAL: '1' }));
      const file = path.join(database.env.CARNET_DATA_DIR, 'audit', 'checkpoints.jsonl');
      const heads = async () =>
        (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l).heads as { seq: number }[]);
      const patientId = randomUUID();
      const audit = (seq: number) =>
        recordAudit(carnet.deps.db, { patientId, actorType: 'patient', actorId: 'acct-1', action: 'document.read', outcome: 'permit', reason: `read-${seq}` });
      try {
        await audit(1);
        await vi.waitFor(async () => expect(await heads()).toHaveLength(1), { timeout: 5_000, interval: 100 });
        await audit(2);
      } finally {
        await carnet.stop();
      }
      const written = await heads();
      expect(written.at(-1)).toContainEqual(expect.objectContaining({ patientId, seq: 2 }));
      expect(await readdir(path.dirname(file))).toEqual(
        expect.arrayContaining(['checkpoint-signing.pem', 'checkpoint-signing.pub.pem', 'checkpoints.jsonl']),
      );
    } finally {
      await database.drop();
    }
  });
});
