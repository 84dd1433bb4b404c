import type { Config } from '../config.ts';
import type { BlobStore } from './blob-store.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import type { S3BlobStoreOptions } from './s3-blob-store.ts';

type S3Config = Pick<
  Config,
  's3Endpoint' | 's3Bucket' | 's3Region' | 's3AccessKeyId' | 's3SecretAccessKey' | 's3ForcePathStyle'
>;

/**
 * The S3 backend's options from the CARNET_S3_* options (config.ts checks them together), or
 * undefined when none is set and files stay on the filesystem.
 */
export function s3BlobStoreOptions(config: S3Config): S3BlobStoreOptions | undefined {
  const { s3Endpoint, s3Bucket, s3Region, s3AccessKeyId, s3SecretAccessKey, s3ForcePathStyle } = config;
  if (s3Bucket === undefined || s3Region === undefined) return undefined;
  return {
    endpoint: s3Endpoint,
    region: s3Region,
    bucket: s3Bucket,
    credentials:
      s3AccessKeyId === undefined || s3SecretAccessKey === undefined
        ? undefined
        : { accessKeyId: s3AccessKeyId, secretAccessKey: s3SecretAccessKey },
    // Self-hosted services (an explicit endpoint) mostly need path-style addressing; AWS wants hosts.
    forcePathStyle: s3ForcePathStyle ?? s3Endpoint !== undefined,
  };
}

/**
 * The configured blob store: the bucket when CARNET_S3_* name one, else the files folder. The S3
 * client is loaded only then: it weighs some 20 MB of memory a filesystem deployment has no use for.
 */
export async function createBlobStore(config: S3Config & Pick<Config, 'filesDir'>): Promise<BlobStore> {
  const s3 = s3BlobStoreOptions(config);
  if (s3 === undefined) return new FsBlobStore(config.filesDir);
  const { S3BlobStore } = await import('./s3-blob-store.ts');
  return new S3BlobStore(s3);
}
