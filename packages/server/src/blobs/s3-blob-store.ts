import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { BlobNotFound, type BlobStore, blobKeySegments, blobPrefixSegments } from './blob-store.ts';

/** Built by `s3BlobStoreOptions` from the CARNET_S3_* options (config.ts). */
export interface S3BlobStoreOptions {
  /** An S3-compatible service (MinIO, Garage, Ceph, a cloud's object storage); undefined is AWS S3. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  /** Undefined uses the SDK's default chain (AWS_* variables, instance or pod role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** `https://host/bucket/key` rather than `https://bucket.host/key`; most self-hosted services need it. */
  forcePathStyle: boolean;
}

const isStatus = (error: unknown, status: number) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === status;

/**
 * Blobs as objects in one bucket, keyed as given. A PUT is atomic (readers see the old object or
 * the new one) and S3 answers it only once the object is stored durably, which is what `put`
 * promises. Deleting is idempotent in S3 as in the contract. With bucket versioning on, a
 * deleted or replaced object survives as a noncurrent version: harmless for ciphertext, but set a
 * lifecycle rule to expire those versions.
 */
export class S3BlobStore implements BlobStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: S3BlobStoreOptions) {
    this.#bucket = options.bucket;
    this.#client = new S3Client({
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      // Without timeouts a stalled connection holds a request (and the document upload waiting
      // on it) forever; the SDK retries a timed-out attempt up to maxAttempts.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
      maxAttempts: 3,
    });
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    blobKeySegments(key);
    await this.#client.send(
      new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: bytes, ContentType: 'application/octet-stream' }),
    );
  }

  async get(key: string): Promise<Buffer> {
    blobKeySegments(key);
    try {
      const response = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      if (response.Body === undefined) throw new BlobNotFound(key);
      const bytes = await response.Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey' || isStatus(error, 404)) throw new BlobNotFound(key);
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    blobKeySegments(key);
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'NotFound' || isStatus(error, 404)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    blobKeySegments(key);
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
  }

  async *list(prefix: string): AsyncIterable<string> {
    const segments = blobPrefixSegments(prefix);
    const pages = paginateListObjectsV2(
      { client: this.#client },
      { Bucket: this.#bucket, ...(segments.length === 0 ? {} : { Prefix: `${prefix}/` }) },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) yield object.Key;
      }
    }
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }
}
