import { describe, expect, it } from 'vitest';
import { configProblemsOf } from '../../test/config-problems.ts';
import { loadConfig } from '../config.ts';
import { createBlobStore, s3BlobStoreOptions } from './blob-store-config.ts';
import { FsBlobStore } from './fs-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

const MINIO = {
  CARNET_S3_ENDPOINT: 'http://127.0.0.1:9000',
  CARNET_S3_BUCKET: 'carnet-files',
  CARNET_S3_REGION: 'us-east-1',
  CARNET_S3_ACCESS_KEY_ID: 'carnet',
  CARNET_S3_SECRET_ACCESS_KEY: 'a-secret-of-forty-characters-or-so-0000',
};

const s3Of = (env: Record<string, string>) => s3BlobStoreOptions(loadConfig(env));


describe('S3 configuration from CARNET_S3_*', () => {
  it('is absent when no CARNET_S3_ variable is set (or only blank ones): files stay on disk', async () => {
    expect(s3Of({ CARNET_DATA_DIR: '/srv/carnet' })).toBeUndefined();
    expect(s3Of({ CARNET_S3_BUCKET: '  ' })).toBeUndefined();
    const store = await createBlobStore(loadConfig({ CARNET_DATA_DIR: '/srv/carnet' }));
    expect(store).toBeInstanceOf(FsBlobStore);
    expect((store as FsBlobStore).root).toBe('/srv/carnet/files');
    expect((await createBlobStore(loadConfig({ CARNET_FILES_DIR: '/mnt/files' })) as FsBlobStore).root).toBe('/mnt/files');
  });

  it('reads a self-hosted service, addressed by path', async () => {
    expect(s3Of(MINIO)).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      bucket: 'carnet-files',
      credentials: { accessKeyId: 'carnet', secretAccessKey: MINIO.CARNET_S3_SECRET_ACCESS_KEY },
      forcePathStyle: true,
    });
    const store = await createBlobStore(loadConfig(MINIO));
    expect(store).toBeInstanceOf(S3BlobStore);
    await store.close();
  });

  it('reads AWS S3 with the default credential chain, addressed by host name', () => {
    expect(s3Of({ CARNET_S3_BUCKET: 'carnet-files', CARNET_S3_REGION: 'eu-west-3' })).toEqual({
      endpoint: undefined,
      region: 'eu-west-3',
      bucket: 'carnet-files',
      credentials: undefined,
      forcePathStyle: false,
    });
  });

  it('lets CARNET_S3_FORCE_PATH_STYLE override the default', () => {
    expect(s3Of({ ...MINIO, CARNET_S3_FORCE_PATH_STYLE: '0' })?.forcePathStyle).toBe(false);
  });

  it('lists every problem of a partial configuration at once', () => {
    expect(configProblemsOf({ CARNET_S3_ENDPOINT: 'http://minio:9000', CARNET_S3_ACCESS_KEY_ID: 'carnet' })).toEqual([
      'CARNET_S3_BUCKET is required when any CARNET_S3_* variable is set.',
      'CARNET_S3_REGION is required when any CARNET_S3_* variable is set (us-east-1 for most self-hosted services).',
      'CARNET_S3_ACCESS_KEY_ID and CARNET_S3_SECRET_ACCESS_KEY must be set together.',
    ]);
    expect(configProblemsOf({ CARNET_S3_FORCE_PATH_STYLE: '1' })).toContain('CARNET_S3_BUCKET is required when any CARNET_S3_* variable is set.');
  });

  it('refuses an endpoint that is not a URL, a bucket name S3 would refuse, and a bad path-style flag', () => {
    expect(
      configProblemsOf({ ...MINIO, CARNET_S3_ENDPOINT: 'minio:9000', CARNET_S3_BUCKET: 'Carnet_Files', CARNET_S3_FORCE_PATH_STYLE: 'maybe' }),
    ).toEqual([
      'CARNET_S3_ENDPOINT must start with https: or http:, got minio:.',
      'CARNET_S3_BUCKET must be a valid bucket name (3–63 lowercase letters, digits, "." and "-").',
      'CARNET_S3_FORCE_PATH_STYLE must be 1 or 0 (or true/false), got "maybe".',
    ]);
  });

  it('never puts the secret in an error message', () => {
    const problems = configProblemsOf({ CARNET_S3_SECRET_ACCESS_KEY: MINIO.CARNET_S3_SECRET_ACCESS_KEY });
    expect(problems.join('\n')).not.toContain(MINIO.CARNET_S3_SECRET_ACCESS_KEY);
  });
});
