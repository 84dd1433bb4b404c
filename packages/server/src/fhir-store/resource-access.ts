import type { Resource } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { AccessContext } from '../patients/patient-access.ts';
import type { StoredResource } from './resource-store.service.ts';
import type { SearchRestriction } from './search-restriction.ts';

/** A write a caller asks for, as the access hook sees it before anything is written. */
export type ResourceChange<T extends Resource = Resource> =
  | { kind: 'create'; patientId: string; resource: T }
  /** `resource` is the new content: the body of an update, or the current version patched. */
  | { kind: 'update' | 'patch'; patientId: string; current: StoredResource<T>; resource: T }
  | { kind: 'delete'; patientId: string; current: StoredResource<T> };

/**
 * How a feature plugs the policy into a stored resource type served under /fhir/R4. The store
 * decides nothing: every interaction asks the hook first, and the hook decides and audits through
 * policy/ (`authorizeOnFoundRecord`, `authorizeChangeOnRecord`). A refusal is thrown: 404 when the
 * caller may not know the resource exists, 403 otherwise.
 */
export interface ResourceAccess<T extends Resource = Resource> {
  /**
   * A read of a stored resource: the current version, one of its versions, or its history. Asked
   * before a deleted resource answers 410, so that a deletion is not revealed to whom the
   * resource was hidden.
   */
  read(context: AccessContext, stored: StoredResource<T>, interaction: 'read' | 'vread' | 'history'): Promise<void>;
  /**
   * A search of this type in a patient's space, or an `_include` of this type into another search:
   * what the caller may see, applied inside the query.
   */
  search(context: AccessContext, patientId: string): Promise<SearchRestriction>;
  /**
   * A write: decide and, when permitted, run `perform` in the transaction that also records the
   * audit entry (as `authorizeChangeOnRecord` does), so that neither commits without the other.
   * Inside a transaction Bundle, `context.db` is the Bundle's transaction.
   */
  write<R>(context: AccessContext, change: ResourceChange<T>, perform: (trx: Kysely<Database>) => Promise<R>): Promise<R>;
  /**
   * The space a new resource belongs to when the resource names no patient (a Binary); without
   * it, such a resource goes to the caller's own space when the caller is a patient, and is
   * refused otherwise.
   */
  compartment?(context: AccessContext, resource: T): string | undefined;
}

/** The FHIR interactions a stored type may serve (FHIR R4 CapabilityStatement.rest.resource.interaction). */
export type StoredInteraction = 'read' | 'vread' | 'history-instance' | 'search-type' | 'create' | 'update' | 'patch' | 'delete';

export const ALL_INTERACTIONS: readonly StoredInteraction[] = ['read', 'vread', 'history-instance', 'search-type', 'create', 'update', 'patch', 'delete'];

/** A stored type as served: its access hook and the interactions it allows. */
export interface StoredTypeBinding<T extends Resource = Resource> {
  resourceType: string;
  access: ResourceAccess<T>;
  interactions: ReadonlySet<StoredInteraction>;
}
