import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CarnetProcess, spawnCarnet } from '../../test/carnet-process.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { generateMasterKeyBase64 } from '../crypto/master-key.ts';
import { oauthProviderConfiguration } from './oauth-provider.ts';
import { accessTokenFor, createTestSoftware } from './oauth.test-support.ts';

/** What oidc-provider printed to the console while the app started: its warnings about development defaults. */
let providerNotices: string[];
let t: TestApp;
beforeAll(async () => {
  const spies = (['warn', 'info', 'log'] as const).map((method) => vi.spyOn(console, method));
  try {
    t = await startTestApp();
  } finally {
    providerNotices = spies.flatMap((spy) => spy.mock.calls.map((call) => String(call[0]))).filter((line) => line.includes('oidc-provider'));
    for (const spy of spies) spy.mockRestore();
  }
});
afterAll(() => t.close());

describe('the OAuth server as configured for production (checklist D11, D1)', () => {
  it('starts without any development default: no dev login, no in-memory adapter, no dev keys', () => {
    expect(providerNotices).toEqual([]);
    const configuration = oauthProviderConfiguration({
      issuer: t.deps.oauth.issuer,
      fhirBase: t.deps.oauth.fhirBase,
      db: t.deps.db,
      keys: t.deps.oauth.keys,
      accessTokenTtlSeconds: t.deps.config.oauthAccessTokenTtlSeconds,
    }) as {
      features: { devInteractions: { enabled: boolean } };
      pkce: { required: () => boolean };
      clientAuthMethods: string[];
      adapter: unknown;
    };
    expect(configuration.features.devInteractions.enabled).toBe(false);
    expect(configuration.pkce.required()).toBe(true);
    expect(configuration.clientAuthMethods).toEqual(['private_key_jwt']);
    expect(configuration.adapter).toBeTypeOf('function');
  });

  it('serves no login page, authorization endpoint or registration', async () => {
    for (const url of ['/oauth/interaction/abc', '/oauth/auth?client_id=x&response_type=code', '/oauth/reg', '/oauth/me']) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(404);
    }
  });

  it('takes access tokens from the Authorization header only, never from the query string', async () => {
    const software = await createTestSoftware(t);
    const token = await accessTokenFor(t, software);
    const res = await t.app.inject({ url: `/fhir/R4/Patient?identifier=284037511201238&access_token=${token}` });
    expect(res.statusCode).toBe(401);
  });
});

describe('starting without signing keys', () => {
  let running: CarnetProcess | undefined;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'carnet-oauth-boot-'));
  });
  afterAll(async () => {
    running?.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops at once on PostgreSQL outside demo mode, saying what to configure', async () => {
    running = await spawnCarnet(
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', CARNET_DEMO: '0', CARNET_DATA_DIR: dataDir, CARNET_MASTER_KEY: generateMasterKeyBase64() },
      { waitReady: false },
    );
    expect((await running.exited).code).toBe(78);
    expect(running.output()).toContain('CARNET_OAUTH_SIGNING_KEYS_FILE is required with DATABASE_URL');
  });
});
