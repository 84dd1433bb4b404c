import { ConfigError } from '../config.ts';
import type { S3BlobStoreOptions } from './s3-blob-store.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables of the S3 backend, documented once for the configuration table. */
export const S3_ENV = {
  endpoint: {
    env: 'CARNET_S3_ENDPOINT',
    description: 'URL of an S3-compatible service (MinIO, Garage, Ceph…); unset means AWS S3.',
  },
  bucket: {
    env: 'CARNET_S3_BUCKET',
    description: 'Bucket for files. Setting any CARNET_S3_* variable stores files in S3 instead of `CARNET_DATA_DIR/blobs`.',
  },
  region: {
    env: 'CARNET_S3_REGION',
    description: 'Region of the bucket (for health data hosted in France, an EEA region); `us-east-1` for most self-hosted services.',
  },
  accessKeyId: {
    env: 'CARNET_S3_ACCESS_KEY_ID',
    description: 'Access key; unset (with the secret) uses the SDK default chain (AWS_* variables, instance role).',
  },
  secretAccessKey: { env: 'CARNET_S3_SECRET_ACCESS_KEY', description: 'Secret of the access key.' },
  forcePathStyle: {
    env: 'CARNET_S3_FORCE_PATH_STYLE',
    description: 'Address the bucket in the path (1) or the host name (0); default 1 with CARNET_S3_ENDPOINT, else 0.',
  },
} as const;

// S3's bucket naming rules: 3–63 lowercase letters, digits, dots and hyphens, no dot or hyphen at the ends.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The S3 backend's options, or undefined when no CARNET_S3_* variable is set (files then go to the
 * filesystem). A partial configuration is an error listing everything missing, never a silent
 * fall-back to local files on a node meant to share a bucket.
 */
export function readS3BlobStoreOptions(env: Env): S3BlobStoreOptions | undefined {
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const values = Object.fromEntries(Object.entries(S3_ENV).map(([key, option]) => [key, get(option.env)])) as Record<
    keyof typeof S3_ENV,
    string | undefined
  >;
  if (Object.values(values).every((value) => value === undefined)) return undefined;

  const problems: string[] = [];
  const { endpoint, bucket, region, accessKeyId, secretAccessKey, forcePathStyle } = values;
  if (bucket === undefined) problems.push(`${S3_ENV.bucket.env} is required when any CARNET_S3_* variable is set.`);
  else if (!BUCKET.test(bucket)) problems.push(`${S3_ENV.bucket.env} must be a valid bucket name (3–63 lowercase letters, digits, "." and "-").`);
  if (region === undefined) problems.push(`${S3_ENV.region.env} is required when any CARNET_S3_* variable is set (us-east-1 for most self-hosted services).`);
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    problems.push(`${S3_ENV.accessKeyId.env} and ${S3_ENV.secretAccessKey.env} must be set together.`);
  }
  if (endpoint !== undefined && !isHttpUrl(endpoint)) {
    problems.push(`${S3_ENV.endpoint.env} must be a URL starting with http:// or https://.`);
  }
  let pathStyle = endpoint !== undefined;
  if (forcePathStyle !== undefined) {
    if (/^(1|true|yes|on)$/i.test(forcePathStyle)) pathStyle = true;
    else if (/^(0|false|no|off)$/i.test(forcePathStyle)) pathStyle = false;
    else problems.push(`${S3_ENV.forcePathStyle.env} must be 1 or 0 (or true/false), got "${forcePathStyle}".`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    endpoint,
    region: region!,
    bucket: bucket!,
    credentials:
      accessKeyId === undefined || secretAccessKey === undefined ? undefined : { accessKeyId, secretAccessKey },
    forcePathStyle: pathStyle,
  };
}

function isHttpUrl(raw: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(raw).protocol);
  } catch {
    return false;
  }
}
