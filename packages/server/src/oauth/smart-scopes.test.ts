import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grantableScopes, INTERACTION_LETTERS, parseSmartScope, permitsInteraction } from './smart-scopes.ts';

describe('permitsInteraction', () => {
  it('allows exactly the letters a v2 scope names, for its resource type or all with *', () => {
    const scopes = ['system/DocumentReference.crs', 'system/*.s'];
    expect(permitsInteraction(scopes, 'DocumentReference', 'c')).toBe(true);
    expect(permitsInteraction(scopes, 'DocumentReference', 'u')).toBe(false);
    expect(permitsInteraction(scopes, 'DocumentReference', 'd')).toBe(false);
    expect(permitsInteraction(scopes, 'Binary', 's')).toBe(true);
    expect(permitsInteraction(scopes, 'Binary', 'r')).toBe(false);
  });

  it('reads SMART v1 .read as rs, .write as cud and .* as everything', () => {
    expect(INTERACTION_LETTERS.filter((l) => permitsInteraction(['system/Patient.read'], 'Patient', l))).toEqual(['r', 's']);
    expect(INTERACTION_LETTERS.filter((l) => permitsInteraction(['system/Patient.write'], 'Patient', l))).toEqual(['c', 'u', 'd']);
    expect(INTERACTION_LETTERS.filter((l) => permitsInteraction(['system/Patient.*'], 'Patient', l))).toEqual([...INTERACTION_LETTERS]);
  });

  it('grants nothing for misspelt suffixes, letters out of order, or a query it cannot enforce', () => {
    for (const scope of ['system/Patient.rc', 'system/Patient.x', 'system/Patient.', 'system/Patient.cruds?category=x', 'openid', 'system/patient.r', 'Patient.r']) {
      expect(parseSmartScope(scope), scope).toBeUndefined();
      expect(INTERACTION_LETTERS.some((l) => permitsInteraction([scope], 'Patient', l)), scope).toBe(false);
    }
  });
});

describe('grantableScopes', () => {
  it('grants the requested system scopes that one allowed scope covers entirely', () => {
    const allowed = ['system/DocumentReference.cruds', 'system/Patient.rs'];
    expect(grantableScopes(['system/DocumentReference.rs', 'system/Patient.read', 'system/Patient.c', 'system/*.r', 'patient/Patient.r'], allowed)).toEqual([
      'system/DocumentReference.rs',
      'system/Patient.read',
    ]);
    expect(grantableScopes(['system/Binary.r', 'system/*.r'], ['system/*.rs'])).toEqual(['system/Binary.r', 'system/*.r']);
  });

  const letters = fc.subarray([...INTERACTION_LETTERS], { minLength: 1 }).map((ls) => ls.join(''));
  const type = fc.constantFrom('Patient', 'DocumentReference', 'Binary', '*');
  const scope = fc.oneof(
    fc.tuple(fc.constantFrom('system', 'patient'), type, fc.oneof(letters, fc.constantFrom('read', 'write', '*'))).map(([c, t, l]) => `${c}/${t}.${l}`),
    fc.string({ maxLength: 30 }),
  );

  it('never grants more than requested, nor any interaction the allowed scopes do not permit (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(scope, { maxLength: 6 }), fc.array(scope, { maxLength: 6 }), (requested, allowed) => {
        const granted = grantableScopes(requested, allowed);
        for (const g of granted) expect(requested).toContain(g);
        for (const resourceType of ['Patient', 'DocumentReference', 'Binary']) {
          for (const letter of INTERACTION_LETTERS) {
            if (permitsInteraction(granted, resourceType, letter)) {
              expect(permitsInteraction(allowed.filter((a) => a.startsWith('system/')), resourceType, letter)).toBe(true);
            }
          }
        }
      }),
    );
  });
});
