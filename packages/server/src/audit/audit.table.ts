import type { ColumnType } from 'kysely';

/** `bigint` columns: pg returns them as strings; Carnet's sequence numbers stay far below 2^53. */
type BigIntColumn = ColumnType<string, number, number>;

/** One entry of a patient's audit chain (migration 0002). Append-only: never updated. */
export interface AuditEntryTable {
  patient_id: string;
  seq: BigIntColumn;
  occurred_at: ColumnType<Date, string, never>;
  actor_type: string;
  actor_id: string;
  on_behalf_of: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  purpose: string | null;
  outcome: string;
  reason: string;
  source_ip: string | null;
  prev_hash: Buffer;
  hash: Buffer;
}

/** The last seq and hash of each chain; seq 0 and the zero hash for a chain not yet begun. */
export interface AuditChainHeadTable {
  patient_id: string;
  seq: BigIntColumn;
  hash: Buffer;
}
