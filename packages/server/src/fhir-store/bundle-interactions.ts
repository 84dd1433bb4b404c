import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { badRequest, CarnetError } from '../errors.ts';
import type { AccessContext } from '../patients/patient-access.ts';
import {
  createInteraction,
  deleteInteraction,
  etagOf,
  type FhirAnswer,
  type FhirCall,
  parseIfMatch,
  readInteraction,
  searchInteraction,
  updateInteraction,
} from './fhir-interactions.ts';
import { InvalidResource } from './fhir-store.errors.ts';
import { JsonText } from '../fhir/json-text.ts';
import type { ResourceAccess, ResourceChange, StoredInteraction, StoredTypeBinding } from './resource-access.ts';

/** At most this many entries in a transaction or batch Bundle (DESIGN §5: limits on sizes). */
export const MAX_BUNDLE_ENTRIES = 100;

/**
 * A feature that serves some transaction Bundles itself, such as IHE MHD ITI-65 (a transaction
 * with a SubmissionSet List). Asked in order before the generic processing; the first that
 * matches serves the Bundle, deciding, auditing and writing as its own rules say.
 */
export interface TransactionHandler {
  matches(bundle: Bundle): boolean;
  /** The transaction-response Bundle; errors are thrown (an OperationOutcome with their status). */
  handle(bundle: Bundle, options: { deps: Deps; context: AccessContext; fhirBase: string }): Promise<Bundle>;
}

interface ParsedEntry {
  index: number;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  binding: StoredTypeBinding;
  id?: string;
  query?: [string, string][];
  resource?: Resource;
  fullUrl?: string;
  ifNoneExist?: string;
  ifMatch?: number;
}

const INTERACTION_OF = { POST: 'create', PUT: 'update', DELETE: 'delete' } as const;
const REASON: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content' };

/** The Bundle of a POST to the base, checked: a transaction or a batch, of a bounded size. */
export function parseBundle(body: unknown): Bundle & { type: 'transaction' | 'batch' } {
  const bundle = body as Partial<Bundle> | null;
  if (typeof bundle !== 'object' || bundle === null || bundle.resourceType !== 'Bundle') {
    throw badRequest('POST to the base takes a Bundle (FHIR R4 http §3.1.0.11).', 'resourceType');
  }
  if (bundle.type !== 'transaction' && bundle.type !== 'batch') throw badRequest('The Bundle type must be transaction or batch.', 'Bundle.type');
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) throw badRequest('Bundle.entry must be an array.', 'Bundle.entry');
  if ((bundle.entry?.length ?? 0) > MAX_BUNDLE_ENTRIES) {
    throw badRequest(`A Bundle may hold at most ${MAX_BUNDLE_ENTRIES} entries; send several.`, 'Bundle.entry');
  }
  const odd = (bundle.entry ?? []).findIndex((entry: unknown) => typeof entry !== 'object' || entry === null || Array.isArray(entry));
  if (odd >= 0) throw badRequest('Each entry of a Bundle is an object.', `Bundle.entry[${odd}]`);
  return bundle as Bundle & { type: 'transaction' | 'batch' };
}

/**
 * A transaction (FHIR R4 http §3.1.0.11.2): every entry or none, in one database transaction.
 * Entries run in the specified order (DELETE, POST, PUT, GET); `urn:uuid:` references to the
 * Bundle's new resources are rewritten to the ids they are given. Each write is decided by its
 * type's access hook, inside the transaction.
 */
export async function processTransaction(call: FhirCall, bundle: Bundle): Promise<Bundle> {
  const denied: { access: ResourceAccess; change: ResourceChange }[] = [];
  try {
    return await call.context.db.transaction().execute(async (trx) => {
      const inner: FhirCall = { ...call, context: { ...call.context, db: joiningTransaction(trx) } };
      const entries = (bundle.entry ?? []).map((entry, index) => parseEntry(inner, entry, index, (d) => denied.push(d)));
      const answers = new Map<number, FhirAnswer>();
      const references = new Map<string, string>();
      const ids = new Map<number, string>();
      for (const entry of entries) {
        if (entry.method === 'POST' && entry.ifNoneExist === undefined && entry.fullUrl?.startsWith('urn:uuid:')) {
          const id = randomUUID();
          ids.set(entry.index, id);
          references.set(entry.fullUrl, `${entry.binding.resourceType}/${id}`);
        }
      }
      rewriteReferences(entries, references);
      const run = async (entry: ParsedEntry) => answers.set(entry.index, await atEntry(entry.index, () => runEntry(inner, entry, ids.get(entry.index))));
      for (const entry of entries.filter((e) => e.method === 'DELETE')) await run(entry);
      for (const entry of entries.filter((e) => e.method === 'POST' && e.ifNoneExist !== undefined)) {
        await run(entry);
        const answer = answers.get(entry.index)!;
        if (entry.fullUrl?.startsWith('urn:uuid:') && answer.version !== undefined) {
          references.set(entry.fullUrl, `${answer.version.resourceType}/${answer.version.id}`);
        }
      }
      rewriteReferences(entries, references);
      for (const method of ['POST', 'PUT', 'GET'] as const) {
        for (const entry of entries.filter((e) => e.method === method && !answers.has(e.index))) await run(entry);
      }
      return responseBundle(call.fhirBase, 'transaction-response', entries.length, answers);
    });
  } catch (error) {
    // The refusal was audited in the transaction that just rolled back: ask again, outside it, so
    // that the denial is recorded (a refused hook runs nothing, and records the denial itself).
    for (const { access, change } of denied) {
      await access.write(call.context, change, () => Promise.reject(new Error('not performed'))).catch(() => undefined);
    }
    throw error;
  }
}

/** A batch (FHIR R4 http §3.1.0.11.1): each entry on its own; a failing entry answers its OperationOutcome. */
export async function processBatch(call: FhirCall, bundle: Bundle): Promise<Bundle> {
  const answers = new Map<number, FhirAnswer | CarnetError>();
  const entries = bundle.entry ?? [];
  for (let index = 0; index < entries.length; index++) {
    try {
      const entry = parseEntry(call, entries[index]!, index, () => undefined);
      answers.set(index, await atEntry(index, () => runEntry(call, entry, undefined)));
    } catch (error) {
      if (!(error instanceof CarnetError) || error.status >= 500) throw error;
      answers.set(index, error);
    }
  }
  return responseBundle(call.fhirBase, 'batch-response', entries.length, answers);
}

function parseEntry(call: FhirCall, entry: BundleEntry, index: number, onDenied: (denied: { access: ResourceAccess; change: ResourceChange }) => void): ParsedEntry {
  const at = `Bundle.entry[${index}]`;
  const method = entry.request?.method;
  if (method !== 'GET' && method !== 'POST' && method !== 'PUT' && method !== 'DELETE') {
    throw badRequest(`${at}: request.method must be GET, POST, PUT or DELETE (PATCH is served outside Bundles).`, `${at}.request.method`);
  }
  const url = entry.request?.url ?? '';
  const match = /^([A-Z][A-Za-z]+)(?:\/([A-Za-z0-9\-.]{1,64}))?(?:\?(.*))?$/.exec(url.replace(`${call.fhirBase}/`, ''));
  const binding = match === null ? undefined : call.bindings.get(match[1]!);
  const [, , id, query] = match ?? [];
  const interaction: StoredInteraction = method === 'GET' ? (id === undefined ? 'search-type' : 'read') : INTERACTION_OF[method];
  if (binding === undefined || !binding.interactions.has(interaction)) {
    throw new CarnetError('not_supported', 400, `${at}: ${method} ${url} is not served here; GET /metadata lists what is.`, { field: `${at}.request.url` });
  }
  if ((method === 'PUT' || method === 'DELETE') && id === undefined) throw badRequest(`${at}: ${method} needs <Type>/<id> as request.url.`, `${at}.request.url`);
  if (method === 'POST' && id !== undefined) throw badRequest(`${at}: POST takes the type alone as request.url.`, `${at}.request.url`);
  return {
    index,
    method,
    binding: watchingDenials(binding, onDenied),
    ...(id === undefined ? {} : { id }),
    ...(query === undefined ? {} : { query: [...new URLSearchParams(query)] }),
    ...(entry.resource === undefined ? {} : { resource: structuredClone(entry.resource) }),
    ...(entry.fullUrl === undefined ? {} : { fullUrl: entry.fullUrl }),
    ...(entry.request?.ifNoneExist === undefined ? {} : { ifNoneExist: entry.request.ifNoneExist }),
    ...(entry.request?.ifMatch === undefined ? {} : { ifMatch: atEntrySync(index, () => parseIfMatch(entry.request?.ifMatch))! }),
  };
}

function runEntry(call: FhirCall, entry: ParsedEntry, id: string | undefined): Promise<FhirAnswer> {
  switch (entry.method) {
    case 'GET':
      return entry.id === undefined ? searchInteraction(call, entry.binding, entry.query ?? []) : readInteraction(call, entry.binding, entry.id);
    case 'POST':
      return createInteraction(call, entry.binding, entry.resource, { ifNoneExist: entry.ifNoneExist, id });
    case 'PUT':
      return updateInteraction(call, entry.binding, entry.id!, entry.resource, entry.ifMatch);
    case 'DELETE':
      return deleteInteraction(call, entry.binding, entry.id!, entry.ifMatch);
  }
}

/** Rewrites `reference` and `url` values that name a new resource of the Bundle by its fullUrl. */
function rewriteReferences(entries: ParsedEntry[], references: ReadonlyMap<string, string>) {
  const rewrite = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(rewrite);
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      for (const [key, child] of Object.entries(record)) {
        if ((key === 'reference' || key === 'url') && typeof child === 'string' && references.has(child)) record[key] = references.get(child);
        else rewrite(child);
      }
    }
  };
  for (const entry of entries) rewrite(entry.resource);
}

function responseBundle(fhirBase: string, type: 'transaction-response' | 'batch-response', count: number, answers: ReadonlyMap<number, FhirAnswer | CarnetError>): Bundle {
  const entry = Array.from({ length: count }, (_, index): BundleEntry => {
    const answer = answers.get(index)!;
    if (answer instanceof CarnetError) {
      return {
        response: {
          status: String(answer.status),
          outcome: {
            resourceType: 'OperationOutcome',
            issue:
              answer instanceof InvalidResource
                ? [...answer.issues]
                : [{ severity: 'error', code: answer.status === 404 ? 'not-found' : 'invalid', diagnostics: answer.message, ...(answer.field === undefined ? {} : { expression: [answer.field] }) }],
          },
        },
      };
    }
    const { version } = answer;
    return {
      ...(version === undefined || answer.status === 204 ? {} : { fullUrl: `${fhirBase}/${version.resourceType}/${version.id}` }),
      ...(answer.body === undefined ? {} : { resource: answer.body instanceof JsonText ? answer.body.parse<Bundle>() : answer.body }),
      response: {
        status: `${answer.status} ${REASON[answer.status] ?? ''}`.trim(),
        ...(version === undefined
          ? {}
          : {
              location: `${version.resourceType}/${version.id}/_history/${version.versionId}`,
              etag: etagOf(version.versionId),
              lastModified: version.lastUpdated.toISOString(),
            }),
      },
    };
  });
  return { resourceType: 'Bundle', type, entry };
}

/** Errors of an entry say which entry they are about. */
async function atEntry<T>(index: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw locate(error, index);
  }
}

function atEntrySync<T>(index: number, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw locate(error, index);
  }
}

function locate(error: unknown, index: number): unknown {
  if (!(error instanceof CarnetError) || error.status >= 500) return error;
  const at = `Bundle.entry[${index}]`;
  if (error instanceof InvalidResource) {
    return new InvalidResource(
      `${at}: ${error.message}`,
      error.issues.map((issue) => ({ ...issue, expression: issue.expression?.map((e) => `${at}.resource${e.replace(/^[A-Za-z]+/, '')}`) })),
    );
  }
  return new CarnetError(error.code, error.status, `${at}: ${error.message}`, {
    field: error.field?.startsWith('Bundle.') === true ? error.field : at,
    headers: { ...error.headers },
  });
}

/** The binding, noting a write its hook refused before performing anything. */
function watchingDenials(binding: StoredTypeBinding, onDenied: (denied: { access: ResourceAccess; change: ResourceChange }) => void): StoredTypeBinding {
  const access = binding.access;
  return {
    ...binding,
    access: {
      read: (context, stored, interaction) => access.read(context, stored, interaction),
      search: (context, patientId) => access.search(context, patientId),
      ...(access.compartment === undefined ? {} : { compartment: (context: AccessContext, resource: Resource) => access.compartment!(context, resource) }),
      async write(context, change, perform) {
        let performed = false;
        try {
          return await access.write(context, change, (trx) => {
            performed = true;
            return perform(trx);
          });
        } catch (error) {
          if (!performed) onDenied({ access, change });
          throw error;
        }
      },
    },
  };
}

/**
 * The Bundle's transaction, as a database whose `transaction()` joins it rather than opening
 * another: the access hooks of the entries write their audit entries through `authorizeChange`,
 * which opens a transaction, and they must all commit or roll back with the Bundle.
 */
function joiningTransaction(trx: Kysely<Database>): Kysely<Database> {
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => ({ execute: <T>(work: (t: Kysely<Database>) => Promise<T>) => work(target) });
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
