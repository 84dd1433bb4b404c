import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { type CheckpointJob, startCheckpointJob } from './audit/checkpoint-job.ts';
import type { Config } from './config.ts';
import { createDeps, type Deps } from './deps.ts';
import { seedDemo } from './demo/demo.seed.ts';
import { closePdfTextWorkers } from './document-content/pdf-text.ts';
import { documentJobHandlers, firstOrphanSweepAt, scheduleOrphanFileSweep } from './documents/document-jobs.ts';
import { type JobWorker, startJobWorker } from './jobs/job-worker.ts';
import { seedDemoDocuments } from './mhd/demo-documents.ts';
import { notificationJobHandlers } from './notifications/notifications.ts';

export interface RunningCarnet {
  app: FastifyInstance;
  deps: Deps;
  /** Where the HTTP server listens, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Graceful stop: refuse new requests, finish those in flight, then close the database. */
  stop(): Promise<void>;
}

export async function startCarnet(config: Config): Promise<RunningCarnet> {
  const deps = await createDeps(config);
  let app: FastifyInstance | undefined;
  let checkpoints: CheckpointJob | undefined;
  let jobs: JobWorker | undefined;
  try {
    app = await buildApp(deps);
    if (deps.migrations.applied.length > 0) {
      app.log.info({ migrations: deps.migrations.applied }, 'database migrated');
    }
    if (config.demo && deps.migrations.wasEmpty) {
      const seeded = await seedDemo(deps.db);
      app.log.info(seeded, 'demo data seeded into the new database');
    }
    if (config.demo) {
      // Camille Durand's documents, filed through ITI-65 by Dr Bernard's software (once).
      const documents = await seedDemoDocuments(deps);
      if (documents > 0) app.log.info({ documents }, 'demo documents filed');
    }
    if (config.auditCheckpointIntervalSeconds > 0) {
      checkpoints = await startCheckpointJob({
        db: deps.db,
        auditDir: config.auditDir,
        intervalMs: config.auditCheckpointIntervalSeconds * 1000,
        log: app.log,
      });
    }
    if (config.jobConcurrency > 0) {
      jobs = startJobWorker({
        db: deps.db,
        clock: deps.clock,
        handlers: { ...notificationJobHandlers(deps), ...documentJobHandlers(deps) },
        concurrency: config.jobConcurrency,
        pollIntervalMs: config.jobPollIntervalMs,
        maxAttempts: config.jobMaxAttempts,
        log: app.log,
        metrics: deps.metrics.jobs,
      });
      // Files of filings that crashed before their commit (documents/orphan-files.ts), swept hourly.
      await scheduleOrphanFileSweep(deps.db, firstOrphanSweepAt(deps.clock.now()));
    }
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await jobs?.stop(0);
    await closePdfTextWorkers();
    await checkpoints?.stop();
    await app?.close();
    await deps.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const started = app;
  return {
    app: started,
    deps,
    url: `http://${config.host === 'localhost' || config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    stop: () => stopGracefully(started, deps, config.shutdownTimeoutMs, checkpoints, jobs),
  };
}

/**
 * Stops accepting requests and claiming jobs, waits for the requests and jobs in flight, writes a
 * last audit checkpoint (covering what those requests recorded), then closes the database.
 */
export async function stopGracefully(
  app: FastifyInstance,
  deps: Deps,
  timeoutMs: number,
  checkpoints?: CheckpointJob,
  jobs?: JobWorker,
) {
  // Within the same time: a job still running then keeps its lease, and runs again after it.
  const jobsStopped = jobs?.stop(timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Requests still running after ${timeoutMs} ms.`)), timeoutMs);
  });
  try {
    // close() stops accepting connections and resolves once in-flight requests have answered.
    await Promise.race([app.close(), timeout]);
  } finally {
    clearTimeout(timer);
    await jobsStopped;
    await closePdfTextWorkers();
    // Even after a timeout: what was committed deserves its checkpoint. A failure is logged only.
    await checkpoints?.stop();
    await deps.close();
  }
}
