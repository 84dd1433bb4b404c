import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { CarnetError } from '../errors.ts';
import { sameSecret } from '../sessions/token.ts';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A registry per app instance, so that tests and the benchmark can run several side by side. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency, by route pattern (never the concrete path: ids would explode the series).',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobs = {
    done: new Counter({ name: 'jobs_done_total', help: 'Jobs this node ran to success, by kind.', labelNames: ['kind'] as const, registers: [registry] }),
    retried: new Counter({ name: 'jobs_retried_total', help: 'Failed attempts this node scheduled for a retry, by kind.', labelNames: ['kind'] as const, registers: [registry] }),
    failed: new Counter({ name: 'jobs_failed_total', help: 'Jobs this node marked failed after their last attempt, by kind.', labelNames: ['kind'] as const, registers: [registry] }),
    stored: new Gauge({
      name: 'jobs_stored',
      help: 'Jobs in the database by state (pending: due or scheduled; failed: waiting for an operator), the same on every node.',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
  };
  return { registry, httpDuration, jobs };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** 127.0.0.0/8 and ::1, also as an IPv4-mapped IPv6 address (a dual-stack socket's view of IPv4). */
function isLoopback(address: string): boolean {
  const v4 = address.replace(/^::ffff:/, '');
  return address === '::1' || (isIP(v4) === 4 && v4.startsWith('127.'));
}

const metricsRefused = () =>
  new CarnetError('metrics_refused', 401, 'Reading /metrics needs the token of CARNET_METRICS_TOKEN as a Bearer token.', {
    headers: { 'www-authenticate': 'Bearer' },
  });

/**
 * The latency of every answer, by route pattern, and /metrics for Prometheus. The figures carry no
 * personal data, but they tell what the service does and how busy it is: a scraper shows the
 * token of CARNET_METRICS_TOKEN, and without one only the machine itself may read them.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, token: string | undefined) {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  app.get('/metrics', { logLevel: 'warn' }, async (request, reply) => {
    const allowed =
      token === undefined
        ? isLoopback(request.ip)
        : sameSecret(request.headers.authorization ?? '', `Bearer ${token}`);
    if (!allowed) throw metricsRefused();
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
