import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobNotFound, type BlobStore, InvalidBlobKey } from './blob-store.ts';

/**
 * The promises every BlobStore keeps (blob-store.ts), written once and run against each backend.
 * Each test works under its own random first segment, so the suite can run against a bucket
 * that holds other data, and leaves nothing behind.
 */
export function blobStoreContract(open: () => Promise<BlobStore>) {
  let store: BlobStore;
  const used: string[] = [];
  const space = () => {
    const prefix = `contract-${randomUUID()}`;
    used.push(prefix);
    return prefix;
  };

  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    for (const prefix of used) for await (const key of store.list(prefix)) await store.delete(key);
    await store.close();
  });

  it('gives back the exact bytes put, from empty to several megabytes', async () => {
    const p = space();
    const files = { empty: Buffer.alloc(0), small: Buffer.from('%PDF-1.7\n'), large: randomBytes(3 * 1024 * 1024 + 7) };
    for (const [name, bytes] of Object.entries(files)) await store.put(`${p}/${name}`, bytes);
    for (const [name, bytes] of Object.entries(files)) expect((await store.get(`${p}/${name}`)).equals(bytes)).toBe(true);
  });

  it('replaces a blob whole when the same key is put again', async () => {
    const p = space();
    await store.put(`${p}/f`, Buffer.from('first version, the longer one'));
    await store.put(`${p}/f`, Buffer.from('second'));
    expect((await store.get(`${p}/f`)).toString()).toBe('second');
  });

  it('throws BlobNotFound for a key never put, and after delete', async () => {
    const p = space();
    await expect(store.get(`${p}/never`)).rejects.toBeInstanceOf(BlobNotFound);
    await store.put(`${p}/f`, Buffer.from('x'));
    await store.delete(`${p}/f`);
    await expect(store.get(`${p}/f`)).rejects.toBeInstanceOf(BlobNotFound);
    await expect(store.get(p)).rejects.toBeInstanceOf(BlobNotFound);
  });

  it('tells whether a blob exists', async () => {
    const p = space();
    await store.put(`${p}/f`, Buffer.from('x'));
    expect(await store.exists(`${p}/f`)).toBe(true);
    expect(await store.exists(`${p}/g`)).toBe(false);
    await store.delete(`${p}/f`);
    expect(await store.exists(`${p}/f`)).toBe(false);
  });

  it('deletes a missing key without error', async () => {
    await expect(store.delete(`${space()}/nothing`)).resolves.toBeUndefined();
  });

  it('lists the keys under whole segments of a prefix, not those sharing its first letters', async () => {
    const p = space();
    await Promise.all(['a/1', 'a/2', 'a/sub/3', 'ab/4'].map((k) => store.put(`${p}/${k}`, Buffer.from(k))));
    const listed = [];
    for await (const key of store.list(`${p}/a`)) listed.push(key);
    expect(listed.sort()).toEqual([`${p}/a/1`, `${p}/a/2`, `${p}/a/sub/3`]);
  });

  it('stores concurrent puts into a new folder without losing any', async () => {
    const p = space();
    const keys = Array.from({ length: 20 }, (_, i) => `${p}/${i}`);
    await Promise.all(keys.map((key) => store.put(key, Buffer.from(key))));
    for (const key of keys) expect((await store.get(key)).toString()).toBe(key);
  });

  describe('refuses keys that could escape the store, in every operation', () => {
    const bad = ['', '..', '../x', 'a/../../etc/passwd', '/abs', 'a//b', 'a/b/', '.hidden', 'a/.tmp-1', 'a\\b', 'a b', 'é', 'a/%2e%2e', 'a\0b', 'x'.repeat(513)];
    const named = bad.map((key) => [key.length > 20 ? `${key.length} characters` : JSON.stringify(key), key]);
    it.each(named)('%s', async (_name, key) => {
      await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(store.exists(key)).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidBlobKey);
    });
  });
}
