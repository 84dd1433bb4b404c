import { randomUUID } from 'node:crypto';
import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { DecryptionFailed, MasterKeyUnavailable } from '../crypto/crypto.errors.ts';
import { createMasterKeyRing, generateMasterKeyBase64, parseMasterKey } from '../crypto/master-key.ts';
import { generateTotpSecret } from './totp.ts';
import { openTotpSecret, sealTotpSecret } from './totp-secret.ts';

const newKey = () => parseMasterKey(generateMasterKeyBase64(), 'test');
const ring = createMasterKeyRing(newKey());
const [CAMILLE, LUCAS] = [randomUUID(), randomUUID()];

describe('TOTP secrets sealed under the master key', () => {
  it('opens to the same secret, named by the key that sealed it, with neither its text nor its bytes stored', () => {
    const secret = generateTotpSecret();
    const sealed = sealTotpSecret(ring, CAMILLE, 'totp_secret', secret);
    expect(sealed.masterKeyId).toBe(ring.current.id);
    expect(openTotpSecret(ring, CAMILLE, 'totp_secret', sealed)).toBe(secret);
    expect(sealed.sealed.includes(Buffer.from(secret))).toBe(false);
    expect(sealed.sealed.includes(Buffer.from(Secret.fromBase32(secret).bytes))).toBe(false);
  });

  it('does not open on another account, in the other column, or when any byte changed', () => {
    const sealed = sealTotpSecret(ring, CAMILLE, 'totp_pending_secret', generateTotpSecret());
    expect(() => openTotpSecret(ring, LUCAS, 'totp_pending_secret', sealed)).toThrow(DecryptionFailed);
    expect(() => openTotpSecret(ring, CAMILLE, 'totp_secret', sealed)).toThrow(DecryptionFailed);
    for (let i = 0; i < sealed.sealed.length; i++) {
      const altered = Buffer.from(sealed.sealed);
      altered[i]! ^= 0x01;
      expect(() => openTotpSecret(ring, CAMILLE, 'totp_pending_secret', { ...sealed, sealed: altered }), `byte ${i}`).toThrow(
        DecryptionFailed,
      );
    }
  });

  it('opens with a previous key during a rotation, and names a key it was not given', () => {
    const old = createMasterKeyRing(newKey());
    const sealed = sealTotpSecret(old, CAMILLE, 'totp_secret', 'JBSWY3DPEHPK3PXP');
    const rotating = createMasterKeyRing(newKey(), [old.current]);
    expect(openTotpSecret(rotating, CAMILLE, 'totp_secret', sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => openTotpSecret(ring, CAMILLE, 'totp_secret', sealed)).toThrow(MasterKeyUnavailable);
    expect(() => openTotpSecret(ring, CAMILLE, 'totp_secret', sealed)).toThrow(new RegExp(`TOTP secrets are sealed by master key ${old.current.id}`));
    // A key with the same id that is not the key (a forged id) fails authentication.
    expect(() =>
      openTotpSecret(createMasterKeyRing({ ...newKey(), id: old.current.id }), CAMILLE, 'totp_secret', sealed),
    ).toThrow(DecryptionFailed);
  });
});
