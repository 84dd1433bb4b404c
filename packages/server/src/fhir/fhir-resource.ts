import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import type { StoredTypeBinding } from '../fhir-store/resource-access.ts';

/** What the CapabilityStatement says of one resource type (FHIR R4 CapabilityStatement.rest.resource). */
export interface FhirResourceCapability {
  type: string;
  interaction: { code: 'read' | 'vread' | 'search-type' | 'create' | 'update' | 'patch' | 'delete' | 'history-instance' }[];
  searchParam?: { name: string; type: 'token' | 'reference' | 'number' | 'string' | 'date' | 'uri'; definition?: string; documentation?: string }[];
  versioning?: 'no-version' | 'versioned' | 'versioned-update';
  readHistory?: boolean;
  updateCreate?: boolean;
  conditionalCreate?: boolean;
  conditionalUpdate?: boolean;
  conditionalDelete?: 'not-supported' | 'single' | 'multiple';
  searchInclude?: string[];
}

/**
 * A resource type a feature serves under /fhir/R4: its routes and what it declares of them. The
 * CapabilityStatement is built from these, so it never claims an interaction nobody registered.
 */
export interface FhirResourceModule {
  capability: FhirResourceCapability;
  routes(
    app: FastifyInstance,
    options: { deps: Deps; fhirBase: string; storedTypes: ReadonlyMap<string, StoredTypeBinding> },
  ): Promise<void>;
  /** Set for a type kept in the FHIR store: what transaction and batch Bundles may do with it. */
  stored?: StoredTypeBinding;
}
