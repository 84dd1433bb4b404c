import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIp, normalizeRecord } from './audit.entry.ts';
import { InvalidAuditRecord } from './audit.errors.ts';
import { encodeEntry, ENCODING_TAG, GENESIS_HASH, type HashInput, hashEntry } from './audit.hash.ts';

const entry: HashInput = {
  patientId: '0b5f1d6e-8a57-4c33-9a3e-2f1d2c3b4a59',
  seq: 3n,
  occurredAtUs: 1_767_225_600_123_000n,
  actorType: 'professional',
  actorId: '810002345678',
  onBehalfOf: null,
  action: 'document.read',
  resourceType: 'DocumentReference',
  resourceId: 'doc-1',
  purpose: 'care',
  outcome: 'permit',
  reason: 'professional-care',
  sourceIp: '192.0.2.7',
  prevHash: Buffer.alloc(32, 0xab),
};

/** The inverse of encodeEntry: if every encoding decodes back to its entry, no two entries share one. */
function decode(bytes: Buffer): (string | null)[] {
  const fields: (string | null)[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes[at] === 0) {
      fields.push(null);
      at += 1;
      continue;
    }
    expect(bytes[at]).toBe(1);
    const length = bytes.readUInt32BE(at + 1);
    fields.push(bytes.subarray(at + 5, at + 5 + length).toString('latin1'));
    at += 5 + length;
  }
  return fields;
}

const asFields = (e: HashInput) =>
  [ENCODING_TAG, e.patientId, String(e.seq), String(e.occurredAtUs), e.actorType, e.actorId, e.onBehalfOf, e.action,
    e.resourceType, e.resourceId, e.purpose, e.outcome, e.reason, e.sourceIp, Buffer.from(e.prevHash)]
    .map((f) => (f === null ? null : Buffer.isBuffer(f) ? f.toString('latin1') : Buffer.from(f, 'utf8').toString('latin1')));

const text = fc.string({ unit: 'grapheme', maxLength: 8 });
const nullableText = fc.option(text, { nil: null });
const anyEntry: fc.Arbitrary<HashInput> = fc.record({
  patientId: fc.uuid(),
  seq: fc.bigInt({ min: 1n, max: 2n ** 62n }),
  occurredAtUs: fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
  actorType: text,
  actorId: text,
  onBehalfOf: nullableText,
  action: text,
  resourceType: nullableText,
  resourceId: nullableText,
  purpose: nullableText,
  outcome: text,
  reason: text,
  sourceIp: nullableText,
  prevHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
});

describe('the entry encoding', () => {
  it('is frozen: this entry hashes to the value verification has always computed for it', () => {
    // Computed apart from this code (Python, from the comment on encodeEntry). Changing the
    // encoding would make every stored chain look tampered with; a new one needs a new tag.
    expect(hashEntry(entry).toString('hex')).toBe('f8233c5c0ac9bbde00f95088f4597cbae17cdbd1c0fa3948c00c0afbfbf3ff00');
  });

  it('keeps field boundaries: "ab"+"c" and "a"+"bc" encode differently', () => {
    const left = { ...entry, actorId: 'ab', action: 'c' };
    const right = { ...entry, actorId: 'a', action: 'bc' };
    expect(encodeEntry(left).equals(encodeEntry(right))).toBe(false);
    expect(hashEntry(left).equals(hashEntry(right))).toBe(false);
  });

  it('tells a null field from an empty one', () => {
    expect(hashEntry({ ...entry, purpose: null }).equals(hashEntry({ ...entry, purpose: '' }))).toBe(false);
  });

  it('decodes back to the entry it encodes, so two different entries never share an encoding', () => {
    fc.assert(
      fc.property(anyEntry, (e) => {
        expect(decode(encodeEntry(e))).toEqual(asFields(e));
      }),
    );
  });

  it('changes the hash when any single field changes', () => {
    const base = hashEntry(entry);
    const changes: Partial<HashInput>[] = [
      { patientId: '0b5f1d6e-8a57-4c33-9a3e-2f1d2c3b4a5a' }, { seq: 4n }, { occurredAtUs: entry.occurredAtUs + 1n },
      { actorType: 'patient' }, { actorId: '810002345679' }, { onBehalfOf: 'x' }, { action: 'document.write' },
      { resourceType: null }, { resourceId: 'doc-2' }, { purpose: 'emergency' }, { outcome: 'deny' },
      { reason: 'holder-only' }, { sourceIp: '192.0.2.8' }, { prevHash: GENESIS_HASH },
    ];
    for (const change of changes) expect(hashEntry({ ...entry, ...change }).equals(base), Object.keys(change)[0]).toBe(false);
  });
});

describe('normalising a record before it is hashed and stored', () => {
  const record = { patientId: entry.patientId.toUpperCase(), actorType: 'patient', actorId: 'a', action: 'x', outcome: 'permit', reason: 'own-record' } as const;

  it('writes the patient id, the time and the address as the database gives them back', () => {
    const normalized = normalizeRecord({ ...record, occurredAt: new Date('2026-01-01T00:00:00.123Z'), sourceIp: '::FFFF:192.0.2.1' });
    expect(normalized).toMatchObject({ patientId: entry.patientId, sourceIp: '192.0.2.1', onBehalfOf: null });
    expect(normalizeRecord({ ...record, patientId: null }).patientId).toBe('00000000-0000-0000-0000-000000000000');
  });

  it('refuses what PostgreSQL would store differently or not at all', () => {
    for (const bad of [
      { patientId: 'not-a-uuid' }, { actorType: 'robot' }, { outcome: 'maybe' }, { actorId: '' },
      { action: 'a\u0000b' }, { reason: '\ud800' }, { sourceIp: '10.0.0.0/8' }, { occurredAt: new Date(NaN) },
      { occurredAt: new Date('+010000-01-01T00:00:00Z') }, { occurredAt: new Date('-000001-01-01T00:00:00Z') },
    ]) {
      expect(() => normalizeRecord({ ...record, ...bad } as never), JSON.stringify(bad)).toThrow(InvalidAuditRecord);
    }
  });

  it('spells each address one way', () => {
    expect(canonicalIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIp('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(canonicalIp('::1')).toBe('::1');
    expect(canonicalIp('203.0.113.9')).toBe('203.0.113.9');
    expect(canonicalIp('fe80::1%eth0')).toBeUndefined();
    expect(canonicalIp('010.0.0.1')).toBeUndefined();
  });
});
