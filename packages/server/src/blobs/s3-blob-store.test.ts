import { describe, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { blobStoreContract } from './blob-store.contract.ts';
import { s3BlobStoreOptions } from './blob-store-config.ts';
import { S3BlobStore } from './s3-blob-store.ts';

// Runs against a real bucket only when one is configured, as CI's S3 job does (MinIO or any
// S3-compatible service): CARNET_S3_BUCKET, CARNET_S3_REGION, CARNET_S3_ENDPOINT, CARNET_S3_ACCESS_KEY_ID,
// CARNET_S3_SECRET_ACCESS_KEY. The suite writes under random prefixes and deletes what it wrote.
// Only those variables are read: the rest of the test environment (DATABASE_URL) is not this suite's.
const options = s3BlobStoreOptions(
  loadConfig(Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('CARNET_S3_')))),
);

if (options === undefined) {
  describe('S3 blob store', () => {
    it('runs the BlobStore contract against a bucket', (ctx) => {
      ctx.skip('no bucket configured: set CARNET_S3_BUCKET, CARNET_S3_REGION and the other CARNET_S3_* variables');
    });
  });
} else {
  describe(`S3 blob store: the BlobStore contract, bucket ${options.bucket}`, () => {
    blobStoreContract(async () => new S3BlobStore(options));
  });
}
