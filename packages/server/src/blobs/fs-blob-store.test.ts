import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobStoreContract } from './blob-store.contract.ts';
import { BlobNotFound, InvalidBlobKey } from './blob-store.ts';
import { TEMP_PREFIX } from './durable-file.ts';
import { FsBlobStore } from './fs-blob-store.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'carnet-blobs-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('filesystem blob store: the BlobStore contract', () => {
  blobStoreContract(async () => new FsBlobStore(path.join(root, 'contract')));
});

describe('filesystem blob store: crashes and permissions', () => {
  const MINUTE = 60_000;

  it('never shows the temporary file a crash left between write and rename, and sweeps it once stale', async () => {
    const store = new FsBlobStore(path.join(root, 'crash'));
    await store.put('p1/kept', Buffer.from('acknowledged'));
    // What a crash after the temporary file's fsync and before the rename leaves on disk.
    const folder = path.join(store.root, 'p1');
    const stale = path.join(folder, `${TEMP_PREFIX}0123456789abcdef`);
    const fresh = path.join(folder, `${TEMP_PREFIX}fedcba9876543210`);
    await writeFile(stale, 'half of a document');
    await writeFile(fresh, 'a write still in progress');
    const tenMinutesAgo = new Date(Date.now() - 10 * MINUTE);
    await utimes(stale, tenMinutesAgo, tenMinutesAgo);

    const listed = [];
    for await (const key of store.list('')) listed.push(key);
    expect(listed).toEqual(['p1/kept']);
    await expect(store.get(`p1/${path.basename(stale)}`)).rejects.toBeInstanceOf(InvalidBlobKey);

    expect(await store.removeStaleTempFiles(5 * MINUTE)).toBe(1);
    expect((await readdir(folder)).sort()).toEqual([path.basename(fresh), 'kept'].sort());
    expect((await store.get('p1/kept')).toString()).toBe('acknowledged');
  });

  it('leaves no temporary file behind when a put fails', async () => {
    const store = new FsBlobStore(path.join(root, 'failed-put'));
    await mkdir(path.join(store.root, 'p1', 'taken', 'by-a-folder'), { recursive: true });
    await expect(store.put('p1/taken', Buffer.from('x'))).rejects.toThrow();
    expect(await readdir(path.join(store.root, 'p1'))).toEqual(['taken']);
    await expect(store.get('p1/taken')).rejects.toBeInstanceOf(BlobNotFound);
  });

  it.skipIf(process.platform === 'win32')('creates files readable by their owner only (0600, folders 0700)', async () => {
    const store = new FsBlobStore(path.join(root, 'modes'));
    await store.put('p1/f', Buffer.from('x'));
    expect((await stat(path.join(store.root, 'p1', 'f'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(store.root, 'p1'))).mode & 0o777).toBe(0o700);
  });
});
