import path from 'node:path';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  /** Where the embedded database, generated keys and files live. */
  dataDir: string;
  /** A PostgreSQL server; undefined runs the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  /** The address users and other systems reach Carnet at (links in mail, OAuth issuer, FHIR base). */
  baseUrl: string;
  logLevel: LogLevel;
  /** Seed the demo patients, professionals and organisation into an empty database. */
  demo: boolean;
  /** Largest request body accepted by routes that do not set their own limit. */
  bodyLimitBytes: number;
  /** How long a graceful shutdown waits for requests in flight before giving up. */
  shutdownTimeoutMs: number;
  /** The built web app; unset or missing means the server answers the API only. */
  webDir: string;
}

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

interface Option<T> {
  env: string;
  description: string;
  /** The default as written in the docs; `undefined` means "unset". */
  default: string | undefined;
  /** Computes the default when it depends on other options. */
  defaultFrom?: (env: Env) => string;
  parse: (raw: string, env: Env) => T;
}

const repoRoot = path.resolve(import.meta.dirname, '../../..');

const integer = (min: number, max: number) => (raw: string) => {
  if (!/^\d+$/.test(raw)) throw new Error(`must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new Error(`must be between ${min} and ${max}, got ${value}`);
  return value;
};

const boolean = (raw: string) => {
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new Error(`must be 1 or 0 (or true/false), got "${raw}"`);
};

const url = (protocols: readonly string[]) => (raw: string) => {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`must be a URL such as ${protocols[0]}//host:port/…`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new Error(`must start with ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return raw;
};

/**
 * Every option Carnet reads, documented once. The README's configuration table lists these and a
 * test keeps the two in step.
 */
export const OPTIONS = {
  port: {
    env: 'PORT',
    description: 'TCP port of the HTTP server (0 picks a free one).',
    default: '8080',
    parse: integer(0, 65535),
  },
  host: {
    env: 'HOST',
    description: 'Address the HTTP server listens on; `0.0.0.0` to accept connections from other machines.',
    default: 'localhost',
    parse: (raw) => raw,
  },
  dataDir: {
    env: 'CARNET_DATA_DIR',
    description: 'Folder for the embedded database and generated secrets.',
    default: './.data',
    parse: (raw) => path.resolve(raw),
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    description: 'PostgreSQL ≥ 15 connection string; unset runs the embedded database in `CARNET_DATA_DIR`.',
    default: undefined,
    parse: url(['postgres:', 'postgresql:']),
  },
  baseUrl: {
    env: 'CARNET_BASE_URL',
    description: 'Public address of Carnet, used in links, the FHIR base and OAuth issuer.',
    default: 'http://localhost:$PORT',
    parse: (raw) => url(['http:', 'https:'])(raw).replace(/\/+$/, ''),
  },
  logLevel: {
    env: 'LOG_LEVEL',
    description: `Log level: ${LOG_LEVELS.join(', ')}.`,
    default: 'info',
    parse: (raw) => {
      if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
        throw new Error(`must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
      }
      return raw as LogLevel;
    },
  },
  demo: {
    env: 'CARNET_DEMO',
    description:
      'Seed demo patients, professionals and an organisation into a new database, and accept test INS (1 or 0).',
    default: '1 with the embedded database, 0 with DATABASE_URL',
    defaultFrom: (env) => (env.DATABASE_URL?.trim() ? '0' : '1'),
    parse: boolean,
  },
  bodyLimitBytes: {
    env: 'CARNET_BODY_LIMIT',
    description: 'Largest request body in bytes for routes without their own limit.',
    default: '1048576',
    parse: integer(1024, 1024 * 1024 * 1024),
  },
  shutdownTimeoutMs: {
    env: 'CARNET_SHUTDOWN_TIMEOUT_MS',
    description: 'How long a graceful shutdown waits for requests in flight, in milliseconds.',
    default: '10000',
    parse: integer(0, 600_000),
  },
  webDir: {
    env: 'CARNET_WEB_DIR',
    description: 'Folder of the built web app served at `/`.',
    default: './packages/web/dist',
    parse: (raw) => path.resolve(repoRoot, raw),
  },
} satisfies { [K in keyof Config]: Option<Config[K]> };

/** Reads and validates the whole configuration, reporting every bad value at once. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const config: Partial<Record<keyof Config, unknown>> = {};
  for (const [key, option] of Object.entries(OPTIONS) as [keyof Config, Option<unknown>][]) {
    const raw = env[option.env]?.trim();
    const given = raw !== undefined && raw !== '';
    const source = given ? raw : defaultFor(option, env);
    if (source === undefined) continue;
    try {
      config[key] = option.parse(source, env);
    } catch (error) {
      // A default derived from a bad value (the base URL from a bad PORT) fails only because of
      // that value, which is reported already.
      if (given) problems.push(`${option.env} ${(error as Error).message}.`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Config;
}

function defaultFor(option: Option<unknown>, env: Env): string | undefined {
  if (option.defaultFrom !== undefined) return option.defaultFrom(env);
  if (option.default === undefined) return undefined;
  return option.default.replace('$PORT', env.PORT?.trim() || OPTIONS.port.default);
}
