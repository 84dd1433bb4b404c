import { CarnetError } from '../errors.ts';

/**
 * Where file bytes live: a folder (the default) or an S3-compatible bucket. Keys are built by the
 * server from identifiers (`<patientId>/<fileId>`), never from names users give (ASVS 5.3.2).
 * Every backend keeps the same promises, checked by `blob-store.contract.ts`:
 * - `put` resolves only once the bytes are durable, and replaces any blob under the key whole;
 *   a reader sees the old bytes or the new ones, never a mix;
 * - `get` of a missing key throws BlobNotFound; `delete` of a missing key does nothing;
 * - `list(prefix)` yields the keys under the whole segments of `prefix`, in no set order.
 */
export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  list(prefix: string): AsyncIterable<string>;
  close(): Promise<void>;
}

export class BlobNotFound extends CarnetError {
  readonly key: string;

  constructor(key: string) {
    super('blob_not_found', 404, 'No stored file under this key.');
    this.name = 'BlobNotFound';
    this.key = key;
  }
}

/** A key that could escape the store's folder or prefix. Keys come from code, so this is a bug. */
export class InvalidBlobKey extends CarnetError {
  constructor() {
    super(
      'invalid_blob_key',
      500,
      `A blob key is 1 to ${MAX_SEGMENTS} segments of letters, digits, ".", "_" and "-" joined by "/", ` +
        `none starting with "." and at most ${MAX_KEY_LENGTH} characters.`,
    );
    this.name = 'InvalidBlobKey';
  }
}

const MAX_SEGMENTS = 8;
const MAX_KEY_LENGTH = 512;
// No leading dot: rules out "." and ".." (path traversal) and the store's own `.tmp-` files.
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** Splits a key into its segments, or throws InvalidBlobKey. */
export function blobKeySegments(key: string): string[] {
  const segments = key.split('/');
  if (key.length > MAX_KEY_LENGTH || segments.length > MAX_SEGMENTS || !segments.every((s) => SEGMENT.test(s))) {
    throw new InvalidBlobKey();
  }
  return segments;
}

/** A list prefix: '' for every key, or whole key segments. */
export function blobPrefixSegments(prefix: string): string[] {
  return prefix === '' ? [] : blobKeySegments(prefix);
}
