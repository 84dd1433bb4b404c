import { describe, expect, it } from 'vitest';
import { DecryptionFailed } from './crypto.errors.ts';
import { generateDataKey, unwrapDataKey, WRAPPED_KEY_BYTES, wrapDataKey } from './key-wrap.ts';
import { generateMasterKeyBase64, type MasterKey, parseMasterKey } from './master-key.ts';

const master = parseMasterKey(generateMasterKeyBase64(), 'test');
const otherMaster = parseMasterKey(generateMasterKeyBase64(), 'test');
const CAMILLE = '00000000-0000-4000-8000-000000000301';
const LUCAS = '00000000-0000-4000-8000-000000000302';

describe('wrapping a data key under the master key', () => {
  it('unwraps to the same key, and the wrapped form does not contain it', () => {
    const dataKey = generateDataKey();
    const wrapped = wrapDataKey(master, CAMILLE, 1, dataKey);
    expect(wrapped).toHaveLength(WRAPPED_KEY_BYTES);
    expect(wrapped.includes(dataKey.export())).toBe(false);
    expect(unwrapDataKey(master, CAMILLE, 1, wrapped).equals(dataKey)).toBe(true);
  });

  it.each<[string, MasterKey, string, number]>([
    ['another master key', otherMaster, CAMILLE, 1],
    ["another patient's row", master, LUCAS, 1],
    ['another key version', master, CAMILLE, 2],
  ])('does not unwrap with %s', (_label, key, patientId, version) => {
    const wrapped = wrapDataKey(master, CAMILLE, 1, generateDataKey());
    expect(() => unwrapDataKey(key, patientId, version, wrapped)).toThrow(DecryptionFailed);
  });

  it('does not unwrap when any byte was changed', () => {
    const wrapped = wrapDataKey(master, CAMILLE, 1, generateDataKey());
    for (let i = 0; i < wrapped.length; i++) {
      const altered = Buffer.from(wrapped);
      altered[i]! ^= 0x01;
      expect(() => unwrapDataKey(master, CAMILLE, 1, altered), `byte ${i}`).toThrow(DecryptionFailed);
    }
  });
});
