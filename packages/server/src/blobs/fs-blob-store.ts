import { lstat, opendir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { BlobNotFound, type BlobStore, blobKeySegments, blobPrefixSegments } from './blob-store.ts';
import { fsyncDirectory, makeDirectoryDurably, TEMP_PREFIX, writeFileDurably } from './durable-file.ts';

const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
const isMissing = (error: unknown) => MISSING.has((error as NodeJS.ErrnoException).code ?? '');

/**
 * Blobs as files under `root`, one folder per key segment (`<root>/<patientId>/<fileId>`).
 * Files are 0600 and folders 0700: the bytes are ciphertext, but their sizes and count are not
 * for other local users to read. The durability of `put` is `writeFileDurably`'s; a crash leaves
 * at most a `.tmp-` file, invisible to `get` and `list`, removed by `removeStaleTempFiles`.
 */
export class FsBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.#path(key);
    await makeDirectoryDurably(path.dirname(file), 0o700, this.root);
    await writeFileDurably(file, bytes, { mode: 0o600, replace: true });
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.#path(key));
    } catch (error) {
      if (isMissing(error)) throw new BlobNotFound(key);
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await lstat(this.#path(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.#path(key);
    try {
      await unlink(file);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    await fsyncDirectory(path.dirname(file));
  }

  async *list(prefix: string): AsyncIterable<string> {
    const segments = blobPrefixSegments(prefix);
    for await (const file of walk(path.join(this.root, ...segments))) {
      const name = path.basename(file);
      if (!name.startsWith('.')) yield path.relative(this.root, file).split(path.sep).join('/');
    }
  }

  /**
   * Removes the temporary files that crashed writes left, once older than `olderThanMs` (so a
   * write in progress is never cut). Meant for start-up and a periodic job; returns how many.
   * It reads every folder: with millions of files, prefer the S3 backend.
   */
  async removeStaleTempFiles(olderThanMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    for await (const file of walk(this.root)) {
      if (!path.basename(file).startsWith(TEMP_PREFIX)) continue;
      try {
        if ((await lstat(file)).mtimeMs > now - olderThanMs) continue;
        await unlink(file);
        removed++;
      } catch (error) {
        if (!isMissing(error)) throw error; // finished or swept by another process meanwhile
      }
    }
    return removed;
  }

  async close(): Promise<void> {}

  #path(key: string): string {
    return path.join(this.root, ...blobKeySegments(key));
  }
}

/**
 * Every file (not folder, not symlink) below `dir`, outside hidden folders, which no key can name;
 * nothing when `dir` does not exist.
 */
async function* walk(dir: string): AsyncIterable<string> {
  let entries;
  try {
    entries = await opendir(dir);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for await (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}
