import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's minimum parameters (Password Storage Cheat Sheet: m = 19 MiB, t = 2,
 * p = 1), which ASVS 5.0 11.4.2 accepts. @node-rs/argon2 defaults to argon2id; the PHC string
 * it returns (`$argon2id$v=19$m=19456,t=2,p=1$…`) names the parameters, so raising them later
 * leaves old hashes verifiable.
 */
const PARAMETERS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /**
   * A hash of nothing anyone knows, verified when the account does not exist so that an unknown
   * address costs the same argon2 work as a wrong password (ASVS 5.0 6.3.8: no enumeration by
   * timing).
   */
  readonly dummyHash: string;
}

/**
 * Passwords are compared in Unicode NFKC (NIST SP 800-63B §3.1.1.2: "SHOULD apply the
 * Normalization Process for Stabilization"), so that "é" typed as one or two code points, or a
 * full-width digit, is the same password on every device.
 */
export const normalizePassword = (password: string) => password.normalize('NFKC');

export async function createPasswordHasher(): Promise<PasswordHasher> {
  const dummyHash = await hash(randomBytes(32), PARAMETERS);
  return {
    dummyHash,
    hash: (password) => hash(normalizePassword(password), PARAMETERS),
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, normalizePassword(password));
      } catch {
        // A malformed stored hash is a wrong password, not a server error the caller could probe.
        return false;
      }
    },
  };
}
