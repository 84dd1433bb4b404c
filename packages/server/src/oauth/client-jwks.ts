import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { invalidClientJwks } from './oauth.errors.ts';
import type { PublicJwks } from './oauth.table.ts';

export const MAX_CLIENT_KEYS = 5;

/** RFC 7518 §6: the members that carry private or secret key material. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** The members a public signing key keeps once registered; anything else is dropped. */
const PUBLIC_MEMBERS = ['kty', 'kid', 'alg', 'use', 'key_ops', 'crv', 'x', 'y', 'n', 'e'];

const CURVES: Record<string, readonly string[]> = { EC: ['P-256', 'P-384', 'P-521'], OKP: ['Ed25519'] };

/**
 * The public key set a software client registers, checked: one to five asymmetric signing keys,
 * each a valid public key. A private key is refused rather than stripped: whoever pasted it has
 * leaked it and must make a new one.
 */
export function publicJwksOf(input: unknown): PublicJwks {
  const keys = (input as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw invalidClientJwks('send a JSON Web Key Set: {"keys": [ … ]} with at least one key');
  if (keys.length > MAX_CLIENT_KEYS) throw invalidClientJwks(`at most ${MAX_CLIENT_KEYS} keys`);
  const kids = new Set<string>();
  return {
    keys: keys.map((raw: unknown, index) => {
      const where = `key ${index + 1}`;
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalidClientJwks(`${where} is not a JSON object`);
      const key = raw as Record<string, unknown>;
      if (PRIVATE_MEMBERS.some((member) => member in key)) {
        throw invalidClientJwks(`${where} holds private key material; register the public key only, and replace this key pair since it has been disclosed`);
      }
      if (key.kty !== 'RSA' && key.kty !== 'EC' && key.kty !== 'OKP') throw invalidClientJwks(`${where}: kty must be RSA, EC or OKP`);
      if (key.use !== undefined && key.use !== 'sig') throw invalidClientJwks(`${where}: use must be "sig"`);
      if (key.kty !== 'RSA' && !CURVES[key.kty]!.includes(String(key.crv))) {
        throw invalidClientJwks(`${where}: crv must be one of ${CURVES[key.kty]!.join(', ')}`);
      }
      if (key.kid !== undefined) {
        if (typeof key.kid !== 'string' || key.kid === '' || key.kid.length > 200) throw invalidClientJwks(`${where}: kid must be a short string`);
        if (kids.has(key.kid)) throw invalidClientJwks(`kid "${key.kid}" is used by two keys`);
        kids.add(key.kid);
      }
      let keyObject;
      try {
        keyObject = createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
      } catch {
        throw invalidClientJwks(`${where} is not a valid public key`);
      }
      // RFC 7518 §3.3: 2048 bits at least for RSA.
      if (key.kty === 'RSA' && (keyObject.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
        throw invalidClientJwks(`${where}: RSA keys need 2048 bits at least`);
      }
      return Object.fromEntries(PUBLIC_MEMBERS.filter((member) => key[member] !== undefined).map((member) => [member, key[member]]));
    }),
  };
}
