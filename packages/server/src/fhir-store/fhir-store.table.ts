import type { ColumnType } from 'kysely';

/** jsonb: written as JSON text, read back parsed. */
type Json<T> = ColumnType<T, string, string>;
/** timestamptz written as ISO text (or ±infinity), read back as a Date. */
type Timestamp = ColumnType<Date, string, string>;

export interface FhirResourceTable {
  patient_id: string;
  resource_type: string;
  id: string;
  version_id: number;
  last_updated: Timestamp;
  deleted: boolean;
  content: Json<Record<string, unknown>>;
}

export interface FhirResourceVersionTable {
  patient_id: string;
  resource_type: string;
  id: string;
  version_id: number;
  last_updated: Timestamp;
  deleted: boolean;
  /** Null for a deletion. */
  content: Json<Record<string, unknown> | null>;
}

export interface FhirResourceRouteTable {
  resource_type: string;
  id: string;
  patient_id: string;
}

interface SearchRowKey {
  patient_id: string;
  resource_type: string;
  resource_id: string;
  param: string;
}

export interface FhirSearchTokenTable extends SearchRowKey {
  system: string;
  code: string;
}

export interface FhirSearchStringTable extends SearchRowKey {
  value: string;
  normalized: string;
}

export interface FhirSearchDateTable extends SearchRowKey {
  lo: Timestamp;
  hi: Timestamp;
}

export interface FhirSearchReferenceTable extends SearchRowKey {
  target_type: string;
  target_id: string;
}
