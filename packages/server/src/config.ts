import path from 'node:path';
import { type MasterKey, parseMasterKey, parsePreviousMasterKeys } from './crypto/master-key.ts';

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
  /** Largest document file (PDF, image, text, CDA) accepted from a patient or a professional's software. */
  documentMaxBytes: number;
  /** How long a graceful shutdown waits for requests in flight before giving up. */
  shutdownTimeoutMs: number;
  /** The built web app; unset or missing means the server answers the API only. */
  webDir: string;
  /** Which proxies may set X-Forwarded-For (Fastify's trustProxy): false, a hop count or addresses. */
  trustProxy: boolean | number | string;
  /** Outgoing mail relay (smtp:// or smtps://); undefined writes mail to `dataDir/outbox`. */
  smtpRelayUrl: string | undefined;
  mailFrom: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  loginMaxFailures: number;
  lockoutMinutes: number;
  /** Login, code and reset requests accepted per source address per 15 minutes. */
  authRateLimitPerAddress: number;
  /** Bearer token a Prometheus scraper presents at /metrics; undefined: loopback clients only. */
  metricsToken: string | undefined;
  oidcPatientIssuer: string | undefined;
  oidcPatientClientId: string | undefined;
  oidcPatientClientSecret: string | undefined;
  oidcPatientRedirectUri: string;
  oidcPatientAcr: string;
  oidcPatientScope: string;
  oidcProIssuer: string | undefined;
  oidcProClientId: string | undefined;
  oidcProClientSecret: string | undefined;
  oidcProRedirectUri: string;
  oidcProAcr: string;
  oidcProScope: string;
  /** Wraps patients' data keys and seals TOTP secrets; undefined: the key file below, or a generated one. */
  masterKey: MasterKey | undefined;
  masterKeyFile: string | undefined;
  /** Keys a rotation moves away from: they still open what they sealed, never seal anything new. */
  masterKeyPrevious: readonly MasterKey[];
  /** Where patients' files go when no bucket is configured. */
  filesDir: string;
  s3Endpoint: string | undefined;
  s3Bucket: string | undefined;
  s3Region: string | undefined;
  s3AccessKeyId: string | undefined;
  s3SecretAccessKey: string | undefined;
  /** Undefined: path style with an explicit endpoint (self-hosted services), host style on AWS. */
  s3ForcePathStyle: boolean | undefined;
  /** The signed checkpoints and their signing key, outside the database. */
  auditDir: string;
  /** 0 turns the checkpoint job off. */
  auditCheckpointIntervalSeconds: number;
  /** How long a professional's emergency access (break-the-glass, SAMU regulation) lasts. */
  emergencyAccessMinutes: number;
  /** Jobs (notifications, …) this node runs at once; 0: this node runs none (another one does). */
  jobConcurrency: number;
  /** How often the worker looks for due jobs when nothing in this process woke it. */
  jobPollIntervalMs: number;
  /** Attempts before a job is marked failed for an operator to look at. */
  jobMaxAttempts: number;
  /** Private JWKS the OAuth server signs with; undefined: generated into the data folder (embedded or demo only). */
  oauthSigningKeysFile: string | undefined;
  /** Lifetime of the access tokens Carnet's OAuth server issues. */
  oauthAccessTokenTtlSeconds: number;
  /** How long a node trusts what it read of a software client (revoked or not) before reading it again. */
  oauthClientCacheSeconds: number;
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
  /** Computes the default when it depends on other options; undefined leaves the option unset. */
  defaultFrom?: (env: Env) => string | undefined;
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

const text = (raw: string) => raw;

/** A folder inside CARNET_DATA_DIR, for defaults (the data folder may still be invalid). */
const inDataDir = (name: string) => (env: Env) => path.join(env.CARNET_DATA_DIR?.trim() || './.data', name);

// S3's bucket naming rules: 3–63 lowercase letters, digits, dots and hyphens, no dot or hyphen at the ends.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The base URL as configured, for defaults derived from it (it may still be invalid). */
const baseUrlOf = (env: Env) =>
  (env.CARNET_BASE_URL?.trim() || `http://localhost:${env.PORT?.trim() || '8080'}`).replace(/\/+$/, '');

const hostnameOf = (raw: string) => {
  try {
    return new URL(raw).hostname;
  } catch {
    return 'localhost';
  }
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Loopback addresses, where a browser treats plain http as a secure context. */
export const isLoopbackUrl = (raw: string) => LOOPBACK_HOSTS.has(hostnameOf(raw));

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
    description:
      'Public address of Carnet, used in links, the FHIR base and OAuth issuer. Must be `https://` except on localhost (session cookies are Secure).',
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
  documentMaxBytes: {
    env: 'CARNET_DOCUMENT_MAX_BYTES',
    description: 'Largest document file in bytes (PDF, image, text, RTF or CDA) a patient or a professional may add.',
    default: '20971520',
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
  trustProxy: {
    env: 'CARNET_TRUST_PROXY',
    description:
      'Proxies trusted to give the client address in `X-Forwarded-For` (rate limits count by it): `0`, a hop count, or comma-separated addresses/CIDR.',
    default: '0',
    parse: (raw) => {
      if (/^\d+$/.test(raw)) return Number(raw) === 0 ? false : Number(raw);
      if (!/^[0-9a-fA-F.:/, ]+$/.test(raw)) throw new Error(`must be a hop count or IP addresses/CIDR, got "${raw}"`);
      return raw;
    },
  },
  smtpRelayUrl: {
    env: 'SMTP_RELAY_URL',
    description:
      'Relay for outgoing mail (login codes, password resets, notifications), e.g. `smtps://user:pass@relay:465`; unset writes mail to `CARNET_DATA_DIR/outbox/` (development only).',
    default: undefined,
    parse: url(['smtp:', 'smtps:']),
  },
  mailFrom: {
    env: 'CARNET_MAIL_FROM',
    description: 'Sender of the mail Carnet sends.',
    default: 'Carnet <ne-pas-repondre@HOST of CARNET_BASE_URL>',
    defaultFrom: (env) => `Carnet <ne-pas-repondre@${hostnameOf(baseUrlOf(env))}>`,
    parse: text,
  },
  sessionIdleMinutes: {
    env: 'CARNET_SESSION_IDLE_MINUTES',
    description: 'A session unused for this many minutes ends (idle timeout).',
    default: '15',
    parse: integer(1, 24 * 60),
  },
  sessionAbsoluteHours: {
    env: 'CARNET_SESSION_ABSOLUTE_HOURS',
    description: 'A session ends this many hours after login, however active (absolute timeout).',
    default: '12',
    parse: integer(1, 30 * 24),
  },
  loginMaxFailures: {
    env: 'CARNET_LOGIN_MAX_FAILURES',
    description: 'Failed passwords or codes in a row after which an account is locked for `CARNET_LOCKOUT_MINUTES`.',
    default: '5',
    parse: integer(1, 100),
  },
  lockoutMinutes: {
    env: 'CARNET_LOCKOUT_MINUTES',
    description: 'How long a lockout lasts, in minutes (a password reset ends it sooner).',
    default: '15',
    parse: integer(1, 24 * 60),
  },
  authRateLimitPerAddress: {
    env: 'CARNET_AUTH_RATE_LIMIT',
    description: 'Login, code and password-reset requests accepted per source address per 15 minutes.',
    default: '100',
    parse: integer(1, 1_000_000),
  },
  metricsToken: {
    env: 'CARNET_METRICS_TOKEN',
    description:
      'Token a Prometheus scraper sends as `Authorization: Bearer <token>` to read `/metrics` (at least 32 characters). Unset, `/metrics` answers clients on the loopback address only.',
    default: undefined,
    parse: (raw) => {
      if (raw.length < 32) throw new Error(`must be at least 32 characters (e.g. \`openssl rand -base64 32\`); it has ${raw.length}`);
      return raw;
    },
  },
  ...oidcOptions('patient', 'PATIENT', "patients' (FranceConnect-style)", 'eidas2', 'openid'),
  ...oidcOptions('pro', 'PRO', "professionals' (Pro Santé Connect-style)", 'eidas1', 'openid scope_all'),
  masterKey: {
    env: 'CARNET_MASTER_KEY',
    description:
      "Master key that wraps every patient's data key and seals TOTP secrets: 32 random bytes in base64 (`openssl rand -base64 32`). Required with `DATABASE_URL` (or `CARNET_MASTER_KEY_FILE`) unless `CARNET_DEMO=1`; back it up apart from the database.",
    default: 'generated into CARNET_DATA_DIR/keys/master.key (embedded database or demo mode only)',
    // Resolved at start (master-key-ring.ts): the key file, or a generated one.
    defaultFrom: () => undefined,
    parse: (raw) => parseMasterKey(raw, 'CARNET_MASTER_KEY'),
  },
  masterKeyFile: {
    env: 'CARNET_MASTER_KEY_FILE',
    description: 'File holding the master key in base64 (mode 0600), instead of `CARNET_MASTER_KEY`; Carnet never creates it.',
    default: undefined,
    parse: (raw) => path.resolve(raw),
  },
  masterKeyPrevious: {
    env: 'CARNET_MASTER_KEY_PREVIOUS',
    description:
      'During a master-key rotation only: the other master keys (comma-separated base64) this node must still open; `npm run keys:rotate` re-wraps what they sealed (docs/operations.md).',
    default: undefined,
    defaultFrom: () => '',
    parse: parsePreviousMasterKeys,
  },
  filesDir: {
    env: 'CARNET_FILES_DIR',
    description: "Folder for patients' files (encrypted) when no `CARNET_S3_*` variable is set.",
    default: 'CARNET_DATA_DIR/files',
    defaultFrom: inDataDir('files'),
    parse: (raw) => path.resolve(raw),
  },
  s3Endpoint: {
    env: 'CARNET_S3_ENDPOINT',
    description: 'URL of an S3-compatible service (MinIO, Garage, Ceph…); unset means AWS S3.',
    default: undefined,
    parse: url(['https:', 'http:']),
  },
  s3Bucket: {
    env: 'CARNET_S3_BUCKET',
    description: "Bucket for patients' files. Setting any `CARNET_S3_*` variable stores files in S3 instead of `CARNET_FILES_DIR`.",
    default: undefined,
    parse: (raw) => {
      if (!BUCKET.test(raw)) throw new Error('must be a valid bucket name (3–63 lowercase letters, digits, "." and "-")');
      return raw;
    },
  },
  s3Region: {
    env: 'CARNET_S3_REGION',
    description:
      'Region of the bucket (for health data hosted in France, an EEA region); `us-east-1` for most self-hosted services.',
    default: undefined,
    parse: text,
  },
  s3AccessKeyId: {
    env: 'CARNET_S3_ACCESS_KEY_ID',
    description: 'Access key; unset (with the secret) uses the SDK default chain (AWS_* variables, instance role).',
    default: undefined,
    parse: text,
  },
  s3SecretAccessKey: {
    env: 'CARNET_S3_SECRET_ACCESS_KEY',
    description: 'Secret of the access key.',
    default: undefined,
    parse: text,
  },
  s3ForcePathStyle: {
    env: 'CARNET_S3_FORCE_PATH_STYLE',
    description: 'Address the bucket in the path (1) or the host name (0).',
    default: '1 with CARNET_S3_ENDPOINT, else 0',
    // Left unset so that the S3 checks can tell it was not given (blob-store-config.ts applies it).
    defaultFrom: () => undefined,
    parse: boolean,
  },
  auditDir: {
    env: 'CARNET_AUDIT_DIR',
    description:
      'Folder of the signed audit checkpoints (`checkpoints.jsonl`) and their Ed25519 signing key; several nodes share one.',
    default: 'CARNET_DATA_DIR/audit',
    defaultFrom: inDataDir('audit'),
    parse: (raw) => path.resolve(raw),
  },
  auditCheckpointIntervalSeconds: {
    env: 'CARNET_AUDIT_CHECKPOINT_INTERVAL',
    description:
      'Seconds between signed audit checkpoints, written only when a chain moved (and once more at shutdown); 0 turns the job off.',
    default: '300',
    parse: integer(0, 24 * 60 * 60),
  },
  emergencyAccessMinutes: {
    env: 'CARNET_EMERGENCY_ACCESS_MINUTES',
    description:
      "How long a professional's emergency access (break-the-glass or SAMU regulation) lasts, in minutes; the patient is notified of each.",
    default: '240',
    parse: integer(5, 24 * 60),
  },
  jobConcurrency: {
    env: 'CARNET_JOB_CONCURRENCY',
    description:
      'Jobs (e-mail notifications, …) this node runs at once; `0` runs none on this node (another node must run them).',
    default: '4',
    parse: integer(0, 100),
  },
  jobPollIntervalMs: {
    env: 'CARNET_JOB_POLL_MS',
    description:
      'Milliseconds between two looks for due jobs (retries, jobs enqueued by another node); a job enqueued on this node starts at once.',
    default: '1000',
    parse: integer(10, 3_600_000),
  },
  jobMaxAttempts: {
    env: 'CARNET_JOB_MAX_ATTEMPTS',
    description:
      'Attempts before a job is marked failed (retries wait 30 s, 1 min, 2 min… up to 1 h between them); failed jobs stay for an operator (docs/operations.md).',
    default: '10',
    parse: integer(1, 100),
  },
  oauthSigningKeysFile: {
    env: 'CARNET_OAUTH_SIGNING_KEYS_FILE',
    description:
      "JSON Web Key Set of the private keys Carnet's OAuth server signs access tokens with (mode 0600; the first key signs, the others are still published for tokens they signed). Required with `DATABASE_URL` unless `CARNET_DEMO=1`; give every node the same file (docs/interop.md).",
    default: 'generated into CARNET_DATA_DIR/keys/oauth-signing-keys.json (embedded database or demo mode only)',
    // Resolved at start (oauth/signing-keys.ts): the file, or a generated one.
    defaultFrom: () => undefined,
    parse: (raw) => path.resolve(raw),
  },
  oauthAccessTokenTtlSeconds: {
    env: 'CARNET_OAUTH_ACCESS_TOKEN_TTL',
    description: "Lifetime in seconds of the access tokens Carnet's OAuth server issues (at most 600).",
    default: '600',
    parse: integer(60, 600),
  },
  oauthClientCacheSeconds: {
    env: 'CARNET_OAUTH_CLIENT_CACHE_SECONDS',
    description:
      'Seconds a node may go on accepting the tokens of a software client revoked on another node (or of a professional who left its organisation); the node that revokes refuses them at once.',
    default: '5',
    parse: integer(0, 60),
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
      // that value, which is reported already. Parsers of secrets name the variable themselves and
      // never quote the value.
      const message = (error as Error).message;
      if (given) problems.push(message.startsWith(option.env) ? message : `${option.env} ${message}.`);
    }
  }
  if (problems.length === 0) problems.push(...crossChecks(config as Config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Config;
}

/** Rules that involve several options, checked once each option is valid on its own. */
function crossChecks(config: Config): string[] {
  const problems: string[] = [];
  // RFC 6265bis §4.1.3.2: a __Host- cookie must be Secure, and a Secure cookie needs https. Only
  // loopback addresses, which browsers treat as secure contexts, may run on plain http.
  if (config.baseUrl.startsWith('http:') && !isLoopbackUrl(config.baseUrl)) {
    problems.push(
      'CARNET_BASE_URL must use https:// unless it is on this machine (localhost, 127.0.0.1, [::1]): session cookies are Secure.',
    );
  }
  for (const [prefix, issuer, clientId, secret] of [
    ['CARNET_OIDC_PATIENT', config.oidcPatientIssuer, config.oidcPatientClientId, config.oidcPatientClientSecret],
    ['CARNET_OIDC_PRO', config.oidcProIssuer, config.oidcProClientId, config.oidcProClientSecret],
  ] as const) {
    if (issuer === undefined) continue;
    // OpenID Connect Core §3.1.2.1 and Discovery §4: the issuer is an https URL (loopback aside,
    // for a provider started by the tests or on a developer's machine).
    if (issuer.startsWith('http:') && !isLoopbackUrl(issuer)) problems.push(`${prefix}_ISSUER must use https://.`);
    if (clientId === undefined) problems.push(`${prefix}_CLIENT_ID is required when ${prefix}_ISSUER is set.`);
    if (secret === undefined) problems.push(`${prefix}_CLIENT_SECRET is required when ${prefix}_ISSUER is set.`);
  }
  problems.push(...masterKeyChecks(config), ...s3Checks(config));
  return problems;
}

function masterKeyChecks(config: Config): string[] {
  // Whether a key is needed at all is for the commands that use one (crypto/master-key-ring.ts):
  // `npm run audit:verify` or `npm run migrate` must not ask for the master key.
  if (config.masterKey !== undefined && config.masterKeyFile !== undefined) {
    return ['Set CARNET_MASTER_KEY or CARNET_MASTER_KEY_FILE, not both: two sources could hold two different keys.'];
  }
  return [];
}

function s3Checks(config: Config): string[] {
  const { s3Endpoint, s3Bucket, s3Region, s3AccessKeyId, s3SecretAccessKey, s3ForcePathStyle } = config;
  const values = [s3Endpoint, s3Bucket, s3Region, s3AccessKeyId, s3SecretAccessKey, s3ForcePathStyle];
  if (values.every((value) => value === undefined)) return [];
  // A partial configuration is an error, never a silent fall-back to local files on a node meant
  // to share a bucket.
  const problems: string[] = [];
  if (s3Bucket === undefined) problems.push('CARNET_S3_BUCKET is required when any CARNET_S3_* variable is set.');
  if (s3Region === undefined) {
    problems.push('CARNET_S3_REGION is required when any CARNET_S3_* variable is set (us-east-1 for most self-hosted services).');
  }
  if ((s3AccessKeyId === undefined) !== (s3SecretAccessKey === undefined)) {
    problems.push('CARNET_S3_ACCESS_KEY_ID and CARNET_S3_SECRET_ACCESS_KEY must be set together.');
  }
  return problems;
}

type OidcKeys<P extends string> = {
  [K in 'Issuer' | 'ClientId' | 'ClientSecret' | 'RedirectUri' | 'Acr' | 'Scope' as `oidc${Capitalize<P>}${K}`]: Option<
    K extends 'Issuer' | 'ClientId' | 'ClientSecret' ? string | undefined : string
  >;
};

/** The six options of one external OpenID Connect identity provider. */
function oidcOptions<P extends 'patient' | 'pro'>(
  key: P,
  envName: string,
  who: string,
  acr: string,
  scope: string,
): OidcKeys<P> {
  const prefix = `CARNET_OIDC_${envName}`;
  const callback = `/api/auth/oidc/${key}/callback`;
  const name = `oidc${key[0]!.toUpperCase()}${key.slice(1)}`;
  return {
    [`${name}Issuer`]: {
      env: `${prefix}_ISSUER`,
      description: `OpenID Connect issuer URL of the ${who} identity provider; unset turns that login off.`,
      default: undefined,
      parse: url(['https:', 'http:']),
    },
    [`${name}ClientId`]: {
      env: `${prefix}_CLIENT_ID`,
      description: 'Client id Carnet is registered with at that provider (required with the issuer).',
      default: undefined,
      parse: text,
    },
    [`${name}ClientSecret`]: {
      env: `${prefix}_CLIENT_SECRET`,
      description: 'Client secret for that provider, `client_secret_basic` (required with the issuer).',
      default: undefined,
      parse: text,
    },
    [`${name}RedirectUri`]: {
      env: `${prefix}_REDIRECT_URI`,
      description: 'Where the provider sends the browser back; register it at the provider.',
      default: `$CARNET_BASE_URL${callback}`,
      defaultFrom: (env: Env) => `${baseUrlOf(env)}${callback}`,
      parse: url(['https:', 'http:']),
    },
    [`${name}Acr`]: {
      env: `${prefix}_ACR`,
      description: 'Authentication level (`acr`) the provider must assert; any other is refused.',
      default: acr,
      parse: text,
    },
    [`${name}Scope`]: {
      env: `${prefix}_SCOPE`,
      description: 'Scopes asked from that provider.',
      default: scope,
      parse: (raw: string) => {
        if (!raw.split(/\s+/).includes('openid')) throw new Error(`must include openid, got "${raw}"`);
        return raw;
      },
    },
  } as unknown as OidcKeys<P>;
}

function defaultFor(option: Option<unknown>, env: Env): string | undefined {
  if (option.defaultFrom !== undefined) return option.defaultFrom(env);
  if (option.default === undefined) return undefined;
  return option.default.replace('$PORT', env.PORT?.trim() || OPTIONS.port.default);
}
