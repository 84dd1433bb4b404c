import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configProblemsOf } from '../test/config-problems.ts';
import { ConfigError, loadConfig, OPTIONS } from './config.ts';
import { generateMasterKeyBase64, parseMasterKey } from './crypto/master-key.ts';


describe('configuration from the environment', () => {
  it('runs on the embedded database with the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      baseUrl: 'http://localhost:8080',
      logLevel: 'info',
      demo: true,
      dataDir: path.resolve('./.data'),
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('derives the base URL from the port and drops a trailing slash', () => {
    expect(loadConfig({ PORT: '9000' }).baseUrl).toBe('http://localhost:9000');
    expect(loadConfig({ CARNET_BASE_URL: 'https://sante.example.fr/' }).baseUrl).toBe('https://sante.example.fr');
  });

  it('does not seed demo data into a real PostgreSQL unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/carnet' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/carnet', CARNET_DEMO: '1' }).demo).toBe(true);
    expect(loadConfig({ CARNET_DEMO: '0' }).demo).toBe(false);
  });

  it('reports every bad value at once, naming the variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', CARNET_DEMO: 'maybe', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT must be between 0 and 65535, got 70000.',
      'DATABASE_URL must start with postgres: or postgresql:, got mysql:.',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud".',
      'CARNET_DEMO must be 1 or 0 (or true/false), got "maybe".',
    ]);
  });

  it('is documented option by option in the README', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    const missing = Object.values(OPTIONS).filter((option) => !readme.includes(`| \`${option.env}\` |`));
    expect(missing.map((option) => option.env)).toEqual([]);
  });
});

describe('identity options', () => {
  it('refuses plain http outside this machine, because session cookies are Secure', () => {
    expect(() => loadConfig({ CARNET_BASE_URL: 'http://sante.example.fr' })).toThrow(/must use https:\/\/ unless it is on this machine/);
    expect(loadConfig({ CARNET_BASE_URL: 'http://127.0.0.1:9000' }).baseUrl).toBe('http://127.0.0.1:9000');
  });

  it('derives the identity providers\' redirect URIs from the base URL, and needs a client with an issuer', () => {
    const config = loadConfig({ CARNET_BASE_URL: 'https://sante.example.fr' });
    expect(config.oidcPatientRedirectUri).toBe('https://sante.example.fr/api/auth/oidc/patient/callback');
    expect(config.oidcProRedirectUri).toBe('https://sante.example.fr/api/auth/oidc/pro/callback');
    expect(config.oidcPatientIssuer).toBeUndefined();
    expect(config).toMatchObject({ oidcPatientAcr: 'eidas2', oidcProAcr: 'eidas1', oidcProScope: 'openid scope_all' });
    expect(() => loadConfig({ CARNET_OIDC_PRO_ISSUER: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet' })).toThrow(
      /CARNET_OIDC_PRO_CLIENT_ID is required[\s\S]*CARNET_OIDC_PRO_CLIENT_SECRET is required/,
    );
    expect(() =>
      loadConfig({ CARNET_OIDC_PATIENT_ISSUER: 'http://idp.example.fr', CARNET_OIDC_PATIENT_CLIENT_ID: 'c', CARNET_OIDC_PATIENT_CLIENT_SECRET: 's' }),
    ).toThrow(/CARNET_OIDC_PATIENT_ISSUER must use https/);
  });

  it('reads session timeouts, lockout and rate limits as bounded whole numbers', () => {
    expect(loadConfig({})).toMatchObject({
      sessionIdleMinutes: 15,
      sessionAbsoluteHours: 12,
      loginMaxFailures: 5,
      lockoutMinutes: 15,
      authRateLimitPerAddress: 100,
      trustProxy: false,
    });
    expect(() => loadConfig({ CARNET_SESSION_IDLE_MINUTES: '0' })).toThrow(/CARNET_SESSION_IDLE_MINUTES must be between 1/);
    expect(loadConfig({ CARNET_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ CARNET_TRUST_PROXY: '10.0.0.0/8, 192.168.1.1' }).trustProxy).toBe('10.0.0.0/8, 192.168.1.1');
  });
});

describe('keys, files and audit options', () => {
  it('reads the master key and the keys of a rotation, and never echoes a bad one', () => {
    const [current, old] = [generateMasterKeyBase64(), generateMasterKeyBase64()];
    const config = loadConfig({ CARNET_MASTER_KEY: current, CARNET_MASTER_KEY_PREVIOUS: ` ${old} ` });
    expect(config.masterKey?.id).toBe(parseMasterKey(current, 'test').id);
    expect(config.masterKeyPrevious.map((key) => key.id)).toEqual([parseMasterKey(old, 'test').id]);
    expect(loadConfig({}).masterKeyPrevious).toEqual([]);
    expect(loadConfig({}).masterKey).toBeUndefined();

    const hex = 'ab'.repeat(32);
    const short = current.slice(0, 20);
    const problems = configProblemsOf({ CARNET_MASTER_KEY: hex, CARNET_MASTER_KEY_PREVIOUS: `${old},${short}`, PORT: 'x' });
    expect(problems).toEqual([
      'PORT must be a whole number, got "x".',
      expect.stringMatching(/^CARNET_MASTER_KEY must be 32 random bytes in base64 .*looks like hex/),
      expect.stringMatching(/^CARNET_MASTER_KEY_PREVIOUS \(key 2\) must be 32 random bytes in base64/),
    ]);
    for (const secret of [hex, short, old]) expect(problems.join('\n')).not.toContain(secret);
  });

  it('refuses a key given both in the environment and in a file', () => {
    expect(configProblemsOf({ CARNET_MASTER_KEY: generateMasterKeyBase64(), CARNET_MASTER_KEY_FILE: '/etc/carnet/master.key' })).toEqual([
      'Set CARNET_MASTER_KEY or CARNET_MASTER_KEY_FILE, not both: two sources could hold two different keys.',
    ]);
    expect(loadConfig({ CARNET_MASTER_KEY_FILE: 'keys/master.key' }).masterKeyFile).toBe(path.resolve('keys/master.key'));
  });

  it('keeps files and audit checkpoints in the data folder unless told otherwise', () => {
    expect(loadConfig({ CARNET_DATA_DIR: '/srv/carnet' })).toMatchObject({
      filesDir: '/srv/carnet/files',
      auditDir: '/srv/carnet/audit',
      auditCheckpointIntervalSeconds: 300,
    });
    expect(loadConfig({})).toMatchObject({ filesDir: path.resolve('.data/files'), auditDir: path.resolve('.data/audit') });
    expect(loadConfig({ CARNET_FILES_DIR: '/mnt/files', CARNET_AUDIT_DIR: '/mnt/audit' })).toMatchObject({
      filesDir: '/mnt/files',
      auditDir: '/mnt/audit',
    });
  });

  it('reads the checkpoint interval in seconds, 0 turning the job off', () => {
    expect(loadConfig({ CARNET_AUDIT_CHECKPOINT_INTERVAL: '0' }).auditCheckpointIntervalSeconds).toBe(0);
    expect(loadConfig({ CARNET_AUDIT_CHECKPOINT_INTERVAL: '60' }).auditCheckpointIntervalSeconds).toBe(60);
    expect(configProblemsOf({ CARNET_AUDIT_CHECKPOINT_INTERVAL: '-5' })).toEqual([
      'CARNET_AUDIT_CHECKPOINT_INTERVAL must be a whole number, got "-5".',
    ]);
  });
});
