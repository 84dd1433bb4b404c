import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, OPTIONS } from './config.ts';

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
