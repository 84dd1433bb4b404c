import { createHash } from 'node:crypto';

export const HASH_BYTES = 32;

/** The `prev_hash` of the first entry of every chain. */
export const GENESIS_HASH: Buffer = Buffer.alloc(HASH_BYTES);

/**
 * Names the encoding and its version. A future encoding (a new column) gets a new tag, so that an
 * entry hashed under one can never be read as the other.
 */
export const ENCODING_TAG = 'carnet.audit_entry.v1';

/**
 * The hashed fields of an entry, in the form the database holds them. Verification builds this
 * from rows, which may have been tampered with, so nothing here is narrower than a column.
 */
export interface HashInput {
  patientId: string;
  seq: bigint;
  /** `occurred_at` in whole microseconds since 1970-01-01T00:00:00Z. */
  occurredAtUs: bigint;
  actorType: string;
  actorId: string;
  onBehalfOf: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  purpose: string | null;
  outcome: string;
  reason: string;
  /** The canonical spelling of the address (`canonicalIp`), or the column's text if it has none. */
  sourceIp: string | null;
  prevHash: Uint8Array;
}

/**
 * The bytes an entry's hash is computed over, version 1. Fifteen fields, always all of them, in
 * this order:
 *
 *   1 the tag "carnet.audit_entry.v1"      6 actor_id         11 purpose
 *   2 patient_id, lower-case UUID text      7 on_behalf_of     12 outcome
 *   3 seq, decimal                          8 action           13 reason
 *   4 occurred_at, decimal µs since epoch   9 resource_type    14 source_ip, canonical text
 *   5 actor_type                           10 resource_id      15 prev_hash, 32 raw bytes
 *
 * A field is 0x00 when it is null, or else 0x01, its length in bytes as a 32-bit big-endian
 * unsigned integer, then its bytes (UTF-8 for text; numbers as ASCII decimal, `-` for negatives).
 * With a fixed count and every value prefixed by its length, two different entries cannot encode
 * to the same bytes: `"ab","c"` and `"a","bc"` differ in their lengths, null and `""` in their
 * first byte.
 *
 *   hash = SHA-256(encoding)
 */
export function encodeEntry(input: HashInput): Buffer {
  const fields: (Uint8Array | null)[] = [
    utf8(ENCODING_TAG),
    utf8(input.patientId),
    utf8(input.seq.toString()),
    utf8(input.occurredAtUs.toString()),
    utf8(input.actorType),
    utf8(input.actorId),
    nullableUtf8(input.onBehalfOf),
    utf8(input.action),
    nullableUtf8(input.resourceType),
    nullableUtf8(input.resourceId),
    nullableUtf8(input.purpose),
    utf8(input.outcome),
    utf8(input.reason),
    nullableUtf8(input.sourceIp),
    input.prevHash,
  ];
  const parts: Uint8Array[] = [];
  for (const field of fields) {
    if (field === null) {
      parts.push(NULL_MARK);
      continue;
    }
    const header = Buffer.alloc(5);
    header[0] = 1;
    header.writeUInt32BE(field.byteLength, 1);
    parts.push(header, field);
  }
  return Buffer.concat(parts);
}

export function hashEntry(input: HashInput): Buffer {
  return createHash('sha256').update(encodeEntry(input)).digest();
}

/** JavaScript dates have milliseconds; `occurred_at` stores what it is given, to the microsecond. */
export function dateToMicros(date: Date): bigint {
  return BigInt(date.getTime()) * 1000n;
}

const NULL_MARK = Buffer.from([0]);
const utf8 = (value: string) => Buffer.from(value, 'utf8');
const nullableUtf8 = (value: string | null) => (value === null ? null : utf8(value));
