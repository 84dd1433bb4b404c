import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { OAuthKeyError } from './oauth.errors.ts';
import { generatedSigningKeysFile, generateSigningJwks, loadOAuthSigningKeys } from './signing-keys.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'carnet-oauth-keys-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const POSTGRES = 'postgres://postgres@db.example/carnet';
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

async function keysFile(name: string, content: unknown, mode = 0o600) {
  const file = path.join(root, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content), { mode });
  return file;
}

describe('the OAuth signing keys a start uses', () => {
  it('are generated into the data folder of the embedded database, private to the owner, and reused after', async () => {
    const config = loadConfig({ CARNET_DATA_DIR: path.join(root, 'embedded') });
    const first = await loadOAuthSigningKeys(config);
    const file = generatedSigningKeysFile(config.dataDir);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await loadOAuthSigningKeys(config)).accessTokenKid).toBe(first.accessTokenKid);
    expect(first.accessTokenAlg).toBe('ES256');
    for (const key of first.publicJwks.keys) for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
    expect(JSON.parse(await readFile(file, 'utf8')).keys[0].d).toBeTypeOf('string');
  });

  it('are refused, not generated, for a PostgreSQL server outside demo mode', async () => {
    const config = loadConfig({ CARNET_DATA_DIR: path.join(root, 'production'), DATABASE_URL: POSTGRES });
    await expect(loadOAuthSigningKeys(config)).rejects.toThrow(OAuthKeyError);
    await expect(loadOAuthSigningKeys(config)).rejects.toThrow(/CARNET_OAUTH_SIGNING_KEYS_FILE is required with DATABASE_URL/);
    const demo = loadConfig({ CARNET_DATA_DIR: path.join(root, 'demo'), DATABASE_URL: POSTGRES, CARNET_DEMO: '1' });
    expect((await loadOAuthSigningKeys(demo)).algorithms).toEqual(['ES256', 'RS256']);
  });

  it('are read from CARNET_OAUTH_SIGNING_KEYS_FILE, the first key signing and every key published', async () => {
    const jwks = generateSigningJwks();
    const file = await keysFile('given.json', { keys: [jwks.keys[1], jwks.keys[0]] });
    const keys = await loadOAuthSigningKeys(loadConfig({ DATABASE_URL: POSTGRES, CARNET_OAUTH_SIGNING_KEYS_FILE: file }));
    expect(keys.accessTokenAlg).toBe('RS256');
    expect(keys.publicJwks.keys.map((k) => k.kty)).toEqual(['RSA', 'EC']);
    expect(keys.publicJwks.keys.every((k) => typeof k.kid === 'string' && k.kid.length > 0)).toBe(true);
  });

  it('refuse a file that is missing, open to others, not a key set, or holds a key that cannot sign', async () => {
    const load = (file: string) => loadOAuthSigningKeys(loadConfig({ CARNET_OAUTH_SIGNING_KEYS_FILE: file }));
    await expect(load(path.join(root, 'missing.json'))).rejects.toThrow(/does not exist/);
    await expect(load(await keysFile('open.json', generateSigningJwks(), 0o644))).rejects.toThrow(/chmod 600/);
    await expect(load(await keysFile('text.json', 'not json'))).rejects.toThrow(/is not JSON/);
    await expect(load(await keysFile('empty.json', { keys: [] }))).rejects.toThrow(/at least one key/);
    const publicOnly = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    await expect(load(await keysFile('public.json', { keys: [publicOnly] }))).rejects.toThrow(/is a public key/);
    await expect(load(await keysFile('oct.json', { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }))).rejects.toThrow(/kty must be RSA, EC or OKP/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    await expect(load(await keysFile('mismatch.json', { keys: [{ ...ec, alg: 'RS256' }] }))).rejects.toThrow(/fit the key type/);
    await expect(load(await keysFile('hs.json', { keys: [{ ...ec, alg: 'HS256' }] }))).rejects.toThrow(/alg must be one of/);
    await expect(load(await keysFile('es-only.json', { keys: [{ ...ec, alg: 'ES256', kid: 'es' }] }))).rejects.toThrow(/needs an RS256 key/);
  });

  it('never put key material in their error messages', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const file = await keysFile('bad-alg.json', { keys: [{ ...ec, alg: 'none' }] });
    const error = await loadOAuthSigningKeys(loadConfig({ CARNET_OAUTH_SIGNING_KEYS_FILE: file })).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(OAuthKeyError);
    expect((error as Error).message).not.toContain(ec.d!);
  });
});
