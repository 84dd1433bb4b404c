import { once } from 'node:events';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestAccount, headersOf, loginFully, type ManualClock, type TestAccount, useManualClock } from '../../test/identity.ts';
import { type SmtpSink, startSmtpSink } from '../../test/smtp-sink.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { loadConfig } from '../config.ts';
import { DEMO_ACCOUNTS } from '../demo/demo.data.ts';
import { FIRST_RETRY_MS } from '../jobs/job-backoff.ts';
import { DEFAULT_LEASE_MS, type JobWorker, startJobWorker } from '../jobs/job-worker.ts';
import type { Mailer } from '../mail/mailer.ts';
import { startCarnet } from '../server.ts';
import { enqueueNotification, NOTIFICATION_JOB, notificationJobHandlers, professionalAccessDedupeKey } from './notifications.ts';

/**
 * A relay that can go down: a TCP proxy in front of the SMTP sink that, when down, hangs up on
 * every connection, as a relay that is restarting does.
 */
async function startSwitchableRelay(sink: SmtpSink) {
  const target = new URL(sink.url);
  let up = true;
  const server = net.createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    setUp: (value: boolean) => (up = value),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let t: TestApp;
let sink: SmtpSink;
let relay: Awaited<ReturnType<typeof startSwitchableRelay>>;
let clock: ManualClock;
beforeAll(async () => {
  sink = await startSmtpSink();
  relay = await startSwitchableRelay(sink);
  t = await startTestApp({ env: { SMTP_RELAY_URL: relay.url, CARNET_BASE_URL: 'http://127.0.0.1:8080' } });
  clock = useManualClock(t.deps);
});
afterAll(async () => {
  await t.close();
  await relay.close();
  await sink.close();
});

const workers: JobWorker[] = [];
afterEach(async () => {
  relay.setUp(true);
  for (const worker of workers.splice(0)) await worker.stop(0);
});

/** The worker as the server runs it, polling rarely: the tests drive it with drain(). */
function worker(options: { mailer?: Mailer; maxAttempts?: number } = {}) {
  const started = startJobWorker({
    db: t.deps.db,
    clock: t.deps.clock,
    handlers: notificationJobHandlers({ ...t.deps, mailer: options.mailer ?? t.deps.mailer }),
    concurrency: 4,
    pollIntervalMs: 3_600_000,
    maxAttempts: options.maxAttempts ?? 10,
    log: { info() {}, warn() {}, error() {} },
    metrics: t.deps.metrics.jobs,
  });
  workers.push(started);
  return started;
}

const mailsTo = (holder: TestAccount) => sink.received.filter((mail) => mail.to.includes(holder.email));
const jobsOf = (holder: TestAccount) =>
  t.deps.db.selectFrom('job').selectAll().where('patient_id', '=', holder.patientId!).where('kind', '=', NOTIFICATION_JOB).execute();

const SUBJECTS = {
  'new-document': 'Carnet : du nouveau dans votre espace / something new in your space',
  'professional-access': 'Carnet : un professionnel a accédé à votre espace / a professional accessed your space',
  'emergency-access': 'Carnet : accès d’urgence à votre espace / emergency access to your space',
  'consent-declared': 'Carnet : un professionnel a déclaré avoir votre accord / a professional declared your consent',
} as const;

describe('notifications to the holder', () => {
  it('sends nothing for a write that rolls back, and one mail for a write that commits', async () => {
    const holder = await createTestAccount(t);
    const w = worker();
    await expect(
      t.deps.db.transaction().execute(async (trx) => {
        await enqueueNotification(trx, { patientId: holder.patientId!, kind: 'new-document' });
        throw new Error('the filing failed');
      }),
    ).rejects.toThrow('the filing failed');
    await t.deps.db.transaction().execute((trx) =>
      enqueueNotification(trx, { patientId: holder.patientId!, kind: 'professional-access' }),
    );
    await w.drain();

    expect(mailsTo(holder).map((mail) => mail.subject)).toEqual([SUBJECTS['professional-access']]);
    const [mail] = mailsTo(holder);
    expect(mail!.text).toContain('http://127.0.0.1:8080/parametres/historique');
    expect(await jobsOf(holder)).toEqual([expect.objectContaining({ state: 'done', attempts: 1 })]);
  });

  it('arrives once when its worker stops before sending and another takes the job after the lease', async () => {
    const holder = await createTestAccount(t);
    let claimed: () => void = () => {};
    const sending = new Promise<void>((resolve) => (claimed = resolve));
    // The first worker's process dies while it talks to the relay: its send never completes.
    const dying = worker({
      mailer: {
        destination: 'nowhere',
        send: () => {
          claimed();
          return new Promise<void>(() => {});
        },
        close() {},
      },
    });
    await enqueueNotification(t.deps.db, { patientId: holder.patientId!, kind: 'new-document' });
    await sending;
    await dying.stop(0);

    const next = worker();
    await next.drain();
    expect(mailsTo(holder)).toEqual([]);

    clock.advance(DEFAULT_LEASE_MS);
    await next.drain();
    await next.drain();
    expect(mailsTo(holder).map((mail) => mail.subject)).toEqual([SUBJECTS['new-document']]);
    expect(await jobsOf(holder)).toEqual([expect.objectContaining({ state: 'done', attempts: 2 })]);
  });

  it('sends one mail per professional and day however many times that professional opens the space', async () => {
    const holder = await createTestAccount(t);
    const w = worker();
    const today = clock.now();
    for (const professional of ['pro-a', 'pro-a', 'pro-b', 'pro-a']) {
      await t.deps.db.transaction().execute((trx) =>
        enqueueNotification(trx, {
          patientId: holder.patientId!,
          kind: 'professional-access',
          dedupeKey: professionalAccessDedupeKey(professional, today),
        }),
      );
      await w.drain();
    }
    expect(mailsTo(holder)).toHaveLength(2);

    // The next day, the same professional again: a new mail.
    await enqueueNotification(t.deps.db, {
      patientId: holder.patientId!,
      kind: 'professional-access',
      dedupeKey: professionalAccessDedupeKey('pro-a', new Date(today.getTime() + 24 * 60 * 60_000)),
    });
    await w.drain();
    expect(mailsTo(holder)).toHaveLength(3);
  });

  it('follows the holder’s choices, but always sends emergency accesses', async () => {
    const holder = await createTestAccount(t);
    const session = await loginFully(t, holder);
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/patients/${holder.patientId}/settings`,
      headers: headersOf(session),
      payload: { notifications: { newDocument: true, newMessage: true, reminders: true, professionalAccess: false } },
    });
    expect(put.statusCode).toBe(200);

    const w = worker();
    await t.deps.db.transaction().execute(async (trx) => {
      for (const kind of ['professional-access', 'emergency-access', 'new-document'] as const) {
        await enqueueNotification(trx, { patientId: holder.patientId!, kind });
      }
    });
    await w.drain();
    expect(mailsTo(holder).map((mail) => mail.subject).sort()).toEqual([SUBJECTS['emergency-access'], SUBJECTS['new-document']].sort());
    // The one turned off is done, not waiting to be retried.
    expect((await jobsOf(holder)).map((job) => job.state)).toEqual(['done', 'done', 'done']);

    const off = await t.app.inject({
      method: 'PUT',
      url: `/api/patients/${holder.patientId}/settings`,
      headers: headersOf(session),
      payload: { notifications: { newDocument: false, newMessage: false, reminders: false, professionalAccess: false } },
    });
    expect(off.statusCode).toBe(200);
    for (const kind of ['new-document', 'professional-access', 'emergency-access', 'consent-declared'] as const) {
      await enqueueNotification(t.deps.db, { patientId: holder.patientId!, kind });
    }
    await w.drain();
    expect(mailsTo(holder).slice(2).map((mail) => mail.subject).sort()).toEqual([SUBJECTS['emergency-access'], SUBJECTS['consent-declared']].sort());
  });

  it('sends nothing when the holder’s account is disabled, and does not retry', async () => {
    const holder = await createTestAccount(t);
    await t.deps.db.updateTable('account').set({ disabled_at: new Date() }).where('account_id', '=', holder.accountId).execute();
    await enqueueNotification(t.deps.db, { patientId: holder.patientId!, kind: 'emergency-access' });
    await worker().drain();
    expect(mailsTo(holder)).toEqual([]);
    expect(await jobsOf(holder)).toEqual([expect.objectContaining({ state: 'done', attempts: 1 })]);
  });

  it('retries while the relay is down, with backoff, and delivers once it is back', async () => {
    const holder = await createTestAccount(t);
    const w = worker();
    relay.setUp(false);
    await enqueueNotification(t.deps.db, { patientId: holder.patientId!, kind: 'new-document' });
    await w.drain();
    const [failed] = await jobsOf(holder);
    expect(failed).toMatchObject({ state: 'pending', attempts: 1 });
    expect(failed!.last_error).toEqual(expect.any(String));
    expect(failed!.run_at!.getTime()).toBe(clock.now().getTime() + FIRST_RETRY_MS);

    relay.setUp(true);
    // The relay is back, but the retry waits for its time.
    await w.drain();
    expect(mailsTo(holder)).toEqual([]);
    clock.advance(FIRST_RETRY_MS);
    await w.drain();
    expect(mailsTo(holder).map((mail) => mail.subject)).toEqual([SUBJECTS['new-document']]);
    expect(await jobsOf(holder)).toEqual([expect.objectContaining({ state: 'done', attempts: 2 })]);
  });

  it('ends failed, with the relay’s error recorded, when the relay stays down', async () => {
    const holder = await createTestAccount(t);
    const w = worker({ maxAttempts: 3 });
    relay.setUp(false);
    await enqueueNotification(t.deps.db, { patientId: holder.patientId!, kind: 'emergency-access' });
    for (let attempt = 1; attempt <= 3; attempt++) {
      await w.drain();
      clock.advance(60 * 60_000);
    }
    await w.drain();
    const [job] = await jobsOf(holder);
    expect(job).toMatchObject({ state: 'failed', attempts: 3 });
    expect(job!.last_error).toMatch(/\w/);
    expect(mailsTo(holder)).toEqual([]);
  });
});

describe('what a notification says', () => {
  it('carries no health data: no document title, no professional’s name, profession or organisation', async () => {
    const holder = await createTestAccount(t);
    const doctor = await createTestAccount(t, { kind: 'professional' });
    const canaries = ['Zébulon', 'CANARIPRO', 'Clinique des Canaris', 'Compte rendu de coloscopie canari', 'Gastro-entérologie canari'];
    await t.deps.db
      .updateTable('professional')
      .set({ given_name: canaries[0]!, family_name: canaries[1]! })
      .where('professional_id', '=', doctor.professionalId!)
      .execute();
    const w = worker();
    await t.deps.db.transaction().execute(async (trx) => {
      // What a filing and an access leave in the space, with the notifications they ask for.
      await recordAudit(trx, {
        patientId: holder.patientId!,
        actorType: 'professional',
        actorId: doctor.professionalId!,
        action: 'document.read',
        resourceType: 'DocumentReference',
        resourceId: canaries[3]!,
        purpose: 'care',
        outcome: 'permit',
        reason: canaries[2]!,
      });
      await enqueueNotification(trx, {
        patientId: holder.patientId!,
        kind: 'new-document',
        dedupeKey: `document:${canaries[3]}`,
      });
      for (const kind of ['professional-access', 'emergency-access', 'consent-declared'] as const) {
        await enqueueNotification(trx, {
          patientId: holder.patientId!,
          kind,
          dedupeKey: professionalAccessDedupeKey(`${canaries[0]} ${canaries[1]}, ${canaries[2]}, ${canaries[4]}`, clock.now()),
        });
      }
    });
    await w.drain();

    const mails = mailsTo(holder);
    expect(mails).toHaveLength(4);
    for (const mail of mails) {
      const text = `${mail.subject}\n${mail.text}`;
      for (const canary of canaries) expect(text).not.toContain(canary);
      // Nor who the patient is.
      expect(text).not.toMatch(/essai|alix/i);
    }
    // Nor the jobs left in the database.
    const stored = JSON.stringify(await jobsOf(holder));
    for (const canary of canaries) expect(stored).not.toContain(canary);
  });
});

describe('in the running server', () => {
  it('sends a notification as soon as its transaction commits, without waiting for a poll', async () => {
    const database = await createTestDatabase();
    const carnet = await startCarnet(
      loadConfig({
        ...database.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        CARNET_DEMO: '1',
        SMTP_RELAY_URL: sink.url,
        CARNET_AUDIT_CHECKPOINT_INTERVAL: '0',
        // Only the wake-up after the enqueue can start the job within the test.
        CARNET_JOB_POLL_MS: '3600000',
      }),
    );
    const [camille] = DEMO_ACCOUNTS;
    try {
      await carnet.deps.db.transaction().execute((trx) =>
        enqueueNotification(trx, { patientId: camille.patient_id, kind: 'consent-declared' }),
      );
      // The demo documents filed at start announce themselves too: look for this mail among them.
      await vi.waitFor(
        () => expect(sink.received.filter((m) => m.to.includes(camille.email)).map((m) => m.subject)).toContain(SUBJECTS['consent-declared']),
        { timeout: 30_000 },
      );
      await vi.waitFor(async () =>
        expect(
          await carnet.deps.db.selectFrom('job').select(['state']).where('patient_id', '=', camille.patient_id).where('state', '!=', 'done').execute(),
        ).toEqual([]),
      );
    } finally {
      await carnet.stop();
      await database.drop();
    }
  });
});
