import { isIP } from 'node:net';
import { InvalidAuditRecord } from './audit.errors.ts';

export const ACTOR_TYPES = ['patient', 'professional', 'operator', 'software', 'app', 'system'] as const;
export type AuditActorType = (typeof ACTOR_TYPES)[number];

export const AUDIT_OUTCOMES = ['permit', 'deny'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * The chain of entries that concern no patient (an operator changing a setting, a key rotation):
 * the nil UUID (RFC 9562 §5.9), which no patient can have. It is a chain like any other, so it is
 * verified and checkpointed the same way.
 */
export const SYSTEM_CHAIN_ID = '00000000-0000-0000-0000-000000000000';

/** What a caller records: one access decision, or one action with no patient (`patientId: null`). */
export interface AuditRecord {
  patientId: string | null;
  /** Defaults to now. Stored to the millisecond (JavaScript's precision). */
  occurredAt?: Date;
  actorType: AuditActorType;
  actorId: string;
  onBehalfOf?: string | null;
  /** What was attempted, e.g. `document.read`. */
  action: string;
  resourceType?: string | null;
  resourceId?: string | null;
  purpose?: string | null;
  outcome: AuditOutcome;
  /** The policy's reason code. */
  reason: string;
  sourceIp?: string | null;
}

/** An entry of a chain, as stored. */
export interface AuditEntry {
  patientId: string;
  seq: number;
  occurredAt: Date;
  actorType: AuditActorType;
  actorId: string;
  onBehalfOf: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  purpose: string | null;
  outcome: AuditOutcome;
  reason: string;
  sourceIp: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The record with every field in the form the database gives back, so that the hash computed
 * before the insert is the one verification recomputes from the row: the patient id in lower case
 * (as `uuid` prints it), the IP address canonical (as `inet` would otherwise rewrite it), the time
 * to the millisecond. A value PostgreSQL cannot store, or would store differently, is refused
 * here, before the entry joins other requests' entries in one transaction that it would fail.
 */
export function normalizeRecord(record: AuditRecord): Omit<AuditEntry, 'seq'> {
  const patientId = record.patientId ?? SYSTEM_CHAIN_ID;
  if (!UUID.test(patientId)) throw new InvalidAuditRecord('patientId must be a UUID');
  if (!(ACTOR_TYPES as readonly string[]).includes(record.actorType)) {
    throw new InvalidAuditRecord(`actorType must be one of ${ACTOR_TYPES.join(', ')}`);
  }
  if (!(AUDIT_OUTCOMES as readonly string[]).includes(record.outcome)) {
    throw new InvalidAuditRecord('outcome must be permit or deny');
  }
  const occurredAt = new Date(record.occurredAt ?? Date.now());
  if (Number.isNaN(occurredAt.getTime())) throw new InvalidAuditRecord('occurredAt is not a valid date');
  // toISOString writes other years as ±YYYYYY, which PostgreSQL does not read.
  const year = occurredAt.getUTCFullYear();
  if (year < 1 || year > 9999) throw new InvalidAuditRecord('occurredAt must be in the years 1 to 9999');
  let sourceIp: string | null = null;
  if (record.sourceIp != null) {
    sourceIp = canonicalIp(record.sourceIp) ?? null;
    if (sourceIp === null) throw new InvalidAuditRecord('sourceIp must be an IPv4 or IPv6 address');
  }
  return {
    patientId: patientId.toLowerCase(),
    occurredAt,
    actorType: record.actorType,
    actorId: text('actorId', record.actorId, true)!,
    onBehalfOf: text('onBehalfOf', record.onBehalfOf, false),
    action: text('action', record.action, true)!,
    resourceType: text('resourceType', record.resourceType, false),
    resourceId: text('resourceId', record.resourceId, false),
    purpose: text('purpose', record.purpose, false),
    outcome: record.outcome,
    reason: text('reason', record.reason, true)!,
    sourceIp,
  };
}

function text(field: string, value: string | null | undefined, required: boolean): string | null {
  if (value == null) {
    if (required) throw new InvalidAuditRecord(`${field} is required`);
    return null;
  }
  if (required && value === '') throw new InvalidAuditRecord(`${field} must not be empty`);
  // A lone surrogate would be stored as U+FFFD and a NUL is refused by PostgreSQL: either way the
  // row would not say what the caller meant.
  if (!value.isWellFormed() || value.includes('\u0000')) {
    throw new InvalidAuditRecord(`${field} must be well-formed Unicode without NUL characters`);
  }
  return value;
}

/**
 * One spelling per address, whoever wrote it: IPv4 in dotted decimal, IPv6 as the URL standard
 * serialises it (RFC 5952 style: lower case, longest zero run compressed), an IPv4-mapped IPv6
 * address (`::ffff:1.2.3.4`, as a dual-stack socket reports IPv4 clients) as plain IPv4.
 * Undefined when `value` is not a single address (a zone id, a netmask).
 */
export function canonicalIp(value: string): string | undefined {
  const family = isIP(value);
  // node:net accepts only canonical dotted decimal (no leading zeros, no shorthand).
  if (family === 4) return value;
  if (family !== 6) return undefined;
  let host: string;
  try {
    host = new URL(`http://[${value}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped === null) return host;
  const high = parseInt(mapped[1]!, 16);
  const low = parseInt(mapped[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}
