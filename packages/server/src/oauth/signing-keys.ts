import { createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, type JsonWebKey } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { makeDirectoryDurably, writeFileDurably } from '../blobs/durable-file.ts';
import type { Config } from '../config.ts';
import { OAuthKeyError } from './oauth.errors.ts';

/**
 * JWS algorithms the OAuth server signs with, and the only ones its resource server accepts
 * (security checklist D10: an allow-list; never `none`, never an HMAC a public key could forge).
 */
export const SIGNING_ALGS = ['ES256', 'ES384', 'PS256', 'PS384', 'RS256', 'RS384', 'EdDSA'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/**
 * The OAuth server's keys. The private set goes to oidc-provider and nowhere else; the public set
 * is what /oauth/jwks publishes and what the resource server verifies access tokens with. An
 * object of this type is never logged: it holds private keys.
 */
export interface OAuthSigningKeys {
  readonly privateJwks: { keys: JWK[] };
  readonly publicJwks: { keys: JWK[] };
  /** The first key's: it signs every access token. The others verify what they signed. */
  readonly accessTokenAlg: SigningAlg;
  readonly accessTokenKid: string;
  /** The algorithms of all the keys: the resource server accepts these and no other. */
  readonly algorithms: readonly SigningAlg[];
  /** oidc-provider's cookie-signing keys, derived from the signing keys (HKDF): no extra secret. */
  readonly cookieKeys: readonly string[];
}

/** Where the embedded database (or a demo installation) keeps the keys it generated. */
export const generatedSigningKeysFile = (dataDir: string) => path.join(dataDir, 'keys', 'oauth-signing-keys.json');

/**
 * The keys as configured: CARNET_OAUTH_SIGNING_KEYS_FILE, else a set generated in the data folder
 * on first start. As with the master key (crypto/master-key-ring.ts), a generated set is for the
 * embedded database and demo installations: nodes sharing a PostgreSQL must sign with the same
 * keys, or each would refuse the tokens the others issue.
 */
export async function loadOAuthSigningKeys(
  config: Pick<Config, 'oauthSigningKeysFile' | 'dataDir' | 'databaseUrl' | 'demo'>,
): Promise<OAuthSigningKeys> {
  if (config.oauthSigningKeysFile !== undefined) return readSigningKeysFile(config.oauthSigningKeysFile);
  if (config.databaseUrl !== undefined && !config.demo) {
    throw new OAuthKeyError(
      'CARNET_OAUTH_SIGNING_KEYS_FILE is required with DATABASE_URL: create the file with ' +
        '`npm run -s oauth:generate-keys > oauth-signing-keys.json && chmod 600 oauth-signing-keys.json`, give the same file to every node ' +
        'and keep a copy apart from the database backups. Carnet generates keys itself only for the embedded database or with CARNET_DEMO=1.',
    );
  }
  const file = generatedSigningKeysFile(config.dataDir);
  await makeDirectoryDurably(path.dirname(file), 0o700);
  // `replace: false`: when two processes start at once on one folder, the first file wins.
  const outcome = await writeFileDurably(file, `${JSON.stringify(generateSigningJwks(), null, 2)}\n`, { mode: 0o600, replace: false });
  if (outcome === 'written') await chmod(file, 0o600); // in case the umask took bits away from the owner
  return readSigningKeysFile(file);
}

/** A fresh private set: an ES256 key (signs access tokens), then an RS256 key (the ID tokens' default). */
export function generateSigningJwks(): { keys: JWK[] } {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return { keys: [{ ...ec, alg: 'ES256', use: 'sig' } as JWK, { ...rsa, alg: 'RS256', use: 'sig' } as JWK] };
}

export async function readSigningKeysFile(file: string): Promise<OAuthSigningKeys> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OAuthKeyError(
      code === 'ENOENT'
        ? `The OAuth signing keys file ${file} does not exist; create it with \`npm run -s oauth:generate-keys > ${file}\`.`
        : `The OAuth signing keys file ${file} cannot be read (${code}).`,
      { cause: error },
    );
  }
  await assertPrivate(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OAuthKeyError(`The OAuth signing keys file ${file} is not JSON; it must be a JSON Web Key Set ({"keys": [...]}).`);
  }
  return signingKeysOf(parsed, `The OAuth signing keys file ${file}`);
}

/** Validates a private JWKS; `source` names it in errors, which never quote key material. */
export async function signingKeysOf(jwks: unknown, source: string): Promise<OAuthSigningKeys> {
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new OAuthKeyError(`${source} must be a JSON Web Key Set with at least one key ({"keys": [...]}).`);
  }
  const privateKeys: JWK[] = [];
  const publicKeys: JWK[] = [];
  const cookieKeys: string[] = [];
  const kids = new Set<string>();
  for (const [index, raw] of keys.entries()) {
    const where = `${source}, key ${index + 1}`;
    const key = await privateSigningKey(raw, where);
    if (kids.has(key.kid!)) throw new OAuthKeyError(`${where}: kid "${key.kid}" is used twice; each key needs its own.`);
    kids.add(key.kid!);
    const keyObject = createPrivateKey({ key: key as JsonWebKey, format: 'jwk' });
    const publicJwk = createPublicKey(keyObject).export({ format: 'jwk' }) as JWK;
    privateKeys.push(key);
    publicKeys.push({ ...publicJwk, kid: key.kid, alg: key.alg, use: 'sig' });
    const der = keyObject.export({ format: 'der', type: 'pkcs8' });
    cookieKeys.push(Buffer.from(hkdfSync('sha256', der, 'carnet-oauth', 'cookie-signing', 32)).toString('base64url'));
  }
  // oidc-provider signs ID tokens with RS256 unless a client asks otherwise, and refuses every
  // token request of a server that has no RS256 key: say so at start, not at the first request.
  if (!privateKeys.some((k) => k.alg === 'RS256')) {
    throw new OAuthKeyError(`${source} needs an RS256 key (RSA, 2048 bits or more) beside the others: ID tokens are signed with it.`);
  }
  const first = privateKeys[0]!;
  return {
    privateJwks: { keys: privateKeys },
    publicJwks: { keys: publicKeys },
    accessTokenAlg: first.alg as SigningAlg,
    accessTokenKid: first.kid!,
    algorithms: [...new Set(privateKeys.map((k) => k.alg as SigningAlg))],
    cookieKeys,
  };
}

async function privateSigningKey(raw: unknown, where: string): Promise<JWK> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new OAuthKeyError(`${where} is not a JSON object.`);
  const key = { ...(raw as JWK) };
  if (key.kty !== 'RSA' && key.kty !== 'EC' && key.kty !== 'OKP') {
    throw new OAuthKeyError(`${where}: kty must be RSA, EC or OKP (a symmetric key cannot sign tokens others verify).`);
  }
  if (typeof key.d !== 'string') throw new OAuthKeyError(`${where} is a public key; the file holds the private keys.`);
  if (key.use !== undefined && key.use !== 'sig') throw new OAuthKeyError(`${where}: use must be "sig".`);
  const alg = key.alg ?? defaultAlg(key);
  if (alg === undefined || !(SIGNING_ALGS as readonly string[]).includes(alg) || !algFits(alg, key)) {
    throw new OAuthKeyError(`${where}: alg must be one of ${SIGNING_ALGS.join(', ')} and fit the key type (got ${String(alg)}).`);
  }
  try {
    createPrivateKey({ key: key as JsonWebKey, format: 'jwk' });
  } catch {
    throw new OAuthKeyError(`${where} is not a valid private key.`);
  }
  return { ...key, alg, use: 'sig', kid: key.kid ?? (await calculateJwkThumbprint(key)) };
}

function defaultAlg(key: JWK): string | undefined {
  if (key.kty === 'RSA') return 'RS256';
  if (key.kty === 'EC') return key.crv === 'P-256' ? 'ES256' : key.crv === 'P-384' ? 'ES384' : undefined;
  return key.crv === 'Ed25519' ? 'EdDSA' : undefined;
}

function algFits(alg: string, key: JWK): boolean {
  if (alg.startsWith('RS') || alg.startsWith('PS')) return key.kty === 'RSA';
  if (alg === 'ES256') return key.kty === 'EC' && key.crv === 'P-256';
  if (alg === 'ES384') return key.kty === 'EC' && key.crv === 'P-384';
  return key.kty === 'OKP' && key.crv === 'Ed25519';
}

/** A private key file readable by others is refused, as ssh refuses a private key left open. */
async function assertPrivate(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) {
    throw new OAuthKeyError(`The OAuth signing keys file ${file} is open to other users (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${file}\`.`);
  }
}
