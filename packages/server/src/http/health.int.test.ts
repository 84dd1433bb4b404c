import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';

describe('health, readiness and metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('says the process is up at /healthz', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('says the database is reachable and migrated at /readyz', async () => {
    const res = await t.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: t.database.kind });
  });

  it('exposes HTTP latency histograms by route pattern at /metrics', async () => {
    await t.app.inject({ url: '/fhir/R4/metadata' });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/fhir\/R4\/metadata",status_code="200"\} \d+/,
    );
    expect(res.body).toContain('process_resident_memory_bytes');
  });

  it('shows /metrics to the machine itself only, when no scraper token is configured', async () => {
    const remote = await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.7' });
    expect(remote.statusCode).toBe(401);
    expect(remote.body).not.toContain('http_request_duration_seconds');
    expect((await t.app.inject({ url: '/metrics', remoteAddress: '::ffff:127.0.0.1' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode).toBe(200);
  });

  it('keeps query strings and credentials out of the logs', async () => {
    await t.app.inject({
      url: '/fhir/R4/metadata?patient.family=DURAND&code=diabete',
      headers: { authorization: 'Bearer secret-token-123', cookie: '__Host-session=abc' },
    });
    const text = JSON.stringify(t.logs);
    expect(text).toContain('/fhir/R4/metadata');
    expect(text).not.toContain('DURAND');
    expect(text).not.toContain('diabete');
    expect(text).not.toContain('secret-token-123');
    expect(text).not.toContain('__Host-session');
  });
});

describe('/metrics with a scraper token', () => {
  const TOKEN = 'un-jeton-de-collecte-assez-long-pour-prometheus';
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CARNET_METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => t.close());

  it('answers the token, from anywhere, and nobody without it, not even the machine itself', async () => {
    const scrape = (authorization?: string, remoteAddress = '198.51.100.20') =>
      t.app.inject({ url: '/metrics', remoteAddress, headers: authorization === undefined ? {} : { authorization } });
    expect((await scrape(`Bearer ${TOKEN}`)).statusCode).toBe(200);
    for (const wrong of [undefined, `Bearer ${TOKEN}x`, TOKEN, 'Bearer ']) {
      const res = await scrape(wrong);
      expect(res.statusCode, String(wrong)).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    expect((await scrape(undefined, '127.0.0.1')).statusCode).toBe(401);
  });
});

describe('readiness when the database is gone', () => {
  it('answers 503 with a problem the operator can act on', async () => {
    const t = await startTestApp();
    try {
      await t.deps.db.destroy();
      const res = await t.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().detail).toBe('The database is unreachable.');
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await t.app.close();
      await t.deps.close().catch(() => {});
      await t.database.drop();
    }
  });
});
