import { type DateRange, dateRangeOf } from './date-range.ts';
import { type SearchParam, searchParamsOf } from './definitions.ts';
import { invalidSearch } from './fhir-store.errors.ts';
import { normalizeText, parseReference } from './search-index.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type DatePrefix = 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge' | 'sa' | 'eb';

/** One condition of a search; its values are alternatives (FHIR R4 search §3.1.1.3 "OR"). */
export type Filter =
  | { kind: 'missing'; param: SearchParam; missing: boolean }
  | { kind: 'token'; param: SearchParam; not: boolean; values: { system?: string; code?: string }[] }
  | { kind: 'string'; param: SearchParam; match: 'start' | 'exact' | 'contains'; values: string[] }
  | { kind: 'date'; param: SearchParam; values: { prefix: DatePrefix; range: DateRange }[] }
  | { kind: 'reference'; param: SearchParam; values: { targetType?: string; targetId: string }[] };

export interface SortKey {
  param: SearchParam;
  descending: boolean;
}

export interface IncludeTarget {
  param: SearchParam;
  targetType?: string;
}

/** A search of one type, parsed and checked: every filter and control is one the store serves. */
export interface SearchRequest {
  resourceType: string;
  /** All must hold (FHIR R4 search §3.1.1.3 "AND"). */
  filters: Filter[];
  sort: SortKey[];
  /** Page size; 0 asks for the total alone (`_summary=count`). */
  count: number;
  total: boolean;
  include: IncludeTarget[];
  cursor?: string;
}

/** Parameters that change nothing in a JSON-only server. */
const IGNORED = new Set(['_format', '_pretty']);
const UNSUPPORTED = new Set(['_elements', '_revinclude', '_contained', '_containedType', '_offset', '_page', '_list', '_has', '_filter', '_query', '_text', '_content', '_type']);

/**
 * Parses a search's query parameters (repeated names allowed). Strict (FHIR R4 search §3.1.1.5):
 * an unknown parameter, modifier or value is a 400 naming it, never silently ignored — a filter
 * dropped without a word would widen the results.
 */
export function parseSearchRequest(resourceType: string, query: Iterable<[string, string]>): SearchRequest {
  const params = searchParamsOf(resourceType);
  const request: SearchRequest = { resourceType, filters: [], sort: [], count: DEFAULT_PAGE_SIZE, total: false, include: [] };
  let summaryCount = false;
  for (const [key, raw] of query) {
    const [name = '', modifier] = splitOnce(key, ':');
    if (IGNORED.has(name)) continue;
    if (UNSUPPORTED.has(name)) throw invalidSearch(`${name} is not supported by this server.`, name);
    switch (name) {
      case '_count':
        request.count = parseCount(raw);
        continue;
      case '_sort':
        request.sort = raw.split(',').map((code) => parseSort(params, code));
        continue;
      case '_total':
        if (!['none', 'estimate', 'accurate'].includes(raw)) throw invalidSearch('_total must be none, estimate or accurate.', '_total');
        request.total = raw !== 'none';
        continue;
      case '_summary':
        if (raw === 'count') summaryCount = true;
        else if (raw !== 'false') throw invalidSearch('_summary: this server serves count and false only.', '_summary');
        continue;
      case '_include':
        if (modifier !== undefined) throw invalidSearch(`_include:${modifier} is not supported.`, '_include');
        request.include.push(parseInclude(resourceType, params, raw));
        continue;
      case '_cursor':
        request.cursor = raw;
        continue;
    }
    const param = params.get(name);
    if (param === undefined) {
      throw invalidSearch(
        `${resourceType} has no search parameter ${JSON.stringify(name)}; GET /metadata lists those this server serves.`,
        name,
      );
    }
    request.filters.push(parseFilter(param, modifier, raw));
  }
  if (summaryCount) {
    request.count = 0;
    request.total = true;
  }
  if (request.count === 0) request.total = true;
  return request;
}

/** A search restricted to its filters, as an If-None-Exist condition is (FHIR R4 http §3.1.0.8.1). */
export function parseCondition(resourceType: string, condition: string): Filter[] {
  const query = [...new URLSearchParams(condition.replace(/^\?/, ''))];
  const control = query.find(([key]) => key.startsWith('_') && key !== '_id' && key !== '_lastUpdated');
  if (control !== undefined) throw invalidSearch(`If-None-Exist takes search filters only, not ${control[0]}.`, control[0]);
  const filters = parseSearchRequest(resourceType, query).filters;
  if (filters.length === 0) throw invalidSearch('If-None-Exist must hold at least one search filter.');
  return filters;
}

function parseCount(raw: string): number {
  if (!/^\d{1,6}$/.test(raw)) throw invalidSearch(`_count must be a whole number from 0 to ${MAX_PAGE_SIZE}.`, '_count');
  // FHIR R4 search §3.1.1.5.7: _count is a hint; more than the server's page is served as its page.
  return Math.min(Number(raw), MAX_PAGE_SIZE);
}

function parseSort(params: ReadonlyMap<string, SearchParam>, code: string): SortKey {
  const descending = code.startsWith('-');
  const name = descending ? code.slice(1) : code;
  const param = params.get(name);
  if (param === undefined || !(param.column !== undefined || param.type === 'date')) {
    throw invalidSearch(`_sort: ${JSON.stringify(name)} cannot be sorted on; sort on _lastUpdated, _id or a date parameter.`, '_sort');
  }
  return { param, descending };
}

function parseInclude(resourceType: string, params: ReadonlyMap<string, SearchParam>, raw: string): IncludeTarget {
  const [source, code, targetType] = raw.split(':');
  const param = code === undefined ? undefined : params.get(code);
  if (source !== resourceType || param === undefined || param.type !== 'reference') {
    throw invalidSearch(`_include must name a reference parameter of ${resourceType}, as ${resourceType}:<parameter>[:<type>].`, '_include');
  }
  if (targetType !== undefined && param.targets.length > 0 && !param.targets.includes(targetType)) {
    throw invalidSearch(`_include: ${code} does not point at ${targetType}.`, '_include');
  }
  return targetType === undefined ? { param } : { param, targetType };
}

function parseFilter(param: SearchParam, modifier: string | undefined, raw: string): Filter {
  const name = modifier === undefined ? param.code : `${param.code}:${modifier}`;
  if (modifier === 'missing') {
    if (raw !== 'true' && raw !== 'false') throw invalidSearch(`${name} must be true or false.`, name);
    return { kind: 'missing', param, missing: raw === 'true' };
  }
  const values = splitValues(raw);
  if (values.length === 0 || values.some((v) => v === '')) throw invalidSearch(`${name} needs a value.`, name);
  const refuse = (): never => {
    throw invalidSearch(`The modifier :${modifier} is not supported on ${param.code} (${param.type}).`, name);
  };
  if (param.column === 'id') {
    if (modifier !== undefined) refuse();
    return { kind: 'token', param, not: false, values: values.map((code) => ({ code: unescape(code) })) };
  }
  switch (param.type) {
    case 'token':
    case 'uri':
      if (modifier !== undefined && modifier !== 'not') refuse();
      return { kind: 'token', param, not: modifier === 'not', values: values.map(parseToken) };
    case 'string':
      if (modifier !== undefined && modifier !== 'exact' && modifier !== 'contains') refuse();
      return {
        kind: 'string',
        param,
        match: modifier === 'exact' ? 'exact' : modifier === 'contains' ? 'contains' : 'start',
        values: values.map((v) => (modifier === 'exact' ? unescape(v) : normalizeText(unescape(v)))),
      };
    case 'date':
      if (modifier !== undefined) refuse();
      return { kind: 'date', param, values: values.map((v) => parseDate(name, v)) };
    case 'reference':
      if (modifier !== undefined && !param.targets.includes(modifier)) refuse();
      return { kind: 'reference', param, values: values.map((v) => parseReferenceValue(name, unescape(v), modifier)) };
  }
}

function parseToken(value: string): { system?: string; code?: string } {
  const bar = indexOfUnescaped(value, '|');
  if (bar < 0) return { code: unescape(value) };
  const system = unescape(value.slice(0, bar));
  const code = unescape(value.slice(bar + 1));
  return code === '' ? { system } : { system, code };
}

const PREFIXES = new Set(['eq', 'ne', 'lt', 'gt', 'le', 'ge', 'sa', 'eb']);

function parseDate(name: string, value: string): { prefix: DatePrefix; range: DateRange } {
  const prefixed = /^[a-z]{2}/.test(value);
  const prefix = (prefixed ? value.slice(0, 2) : 'eq') as DatePrefix;
  if (prefixed && !PREFIXES.has(prefix)) {
    throw invalidSearch(`${name}: the prefix ${prefix} is not supported; use eq, ne, lt, gt, le, ge, sa or eb.`, name);
  }
  const range = dateRangeOf(prefixed ? value.slice(2) : value);
  if (range === undefined) throw invalidSearch(`${name} must be a date: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][zone].`, name);
  return { prefix, range };
}

function parseReferenceValue(name: string, value: string, typeModifier: string | undefined) {
  if (/^[A-Za-z0-9\-.]{1,64}$/.test(value)) return typeModifier === undefined ? { targetId: value } : { targetType: typeModifier, targetId: value };
  const target = parseReference(value);
  if (target === undefined || (typeModifier !== undefined && target.targetType !== typeModifier)) {
    throw invalidSearch(`${name} must be a reference: <Type>/<id> or <id>.`, name);
  }
  return target;
}

/** Values separated by unescaped commas (FHIR R4 search §3.1.1.4.13 escaping). */
function splitValues(raw: string): string[] {
  const values: string[] = [];
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '\\') i++;
    else if (raw[i] === ',') {
      values.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  values.push(raw.slice(start));
  return values;
}

function indexOfUnescaped(value: string, char: string): number {
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') i++;
    else if (value[i] === char) return i;
  }
  return -1;
}

const unescape = (value: string) => value.replace(/\\([\\,|$])/g, '$1');

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
