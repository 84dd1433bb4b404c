import { evalFhirPathTyped, toTypedValue } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { type DateRange, dateRangeOf, periodRangeOf } from './date-range.ts';
import { type SearchParam, searchParamsOf } from './definitions.ts';

/** A resource's search values, one row per value, as the index tables hold them. */
export interface SearchValues {
  tokens: { param: string; system: string; code: string }[];
  strings: { param: string; value: string; normalized: string }[];
  dates: ({ param: string } & DateRange)[];
  references: { param: string; targetType: string; targetId: string }[];
}

/**
 * Longer values are not indexed, so a search on them finds nothing: index keys have a size limit,
 * and no code, identifier or name in this record is that long.
 */
export const MAX_INDEXED_LENGTH = 512;

/** Every search value of a resource, by evaluating each of its type's parameters' FHIRPath. */
export function searchValuesOf(resource: Resource): SearchValues {
  const values: SearchValues = { tokens: [], strings: [], dates: [], references: [] };
  const seen = new Set<string>();
  const add = <K extends keyof SearchValues>(kind: K, row: SearchValues[K][number]) => {
    const key = `${kind}\u0000${Object.values(row).join('\u0000')}`;
    if (seen.has(key)) return;
    seen.add(key);
    (values[kind] as SearchValues[K][number][]).push(row);
  };
  const input = [toTypedValue(resource)];
  for (const param of searchParamsOf(resource.resourceType).values()) {
    if (param.column !== undefined) continue;
    for (const { type, value } of evalFhirPathTyped(param.expression, input)) {
      switch (param.type) {
        case 'token':
        case 'uri':
          for (const token of tokensOf(type, value)) add('tokens', { param: param.code, ...token });
          break;
        case 'string':
          for (const text of stringsOf(type, value)) add('strings', { param: param.code, value: text, normalized: normalizeText(text) });
          break;
        case 'date': {
          const range = dateOf(type, value);
          if (range !== undefined) add('dates', { param: param.code, ...range });
          break;
        }
        case 'reference': {
          const target = referenceTargetOf(value);
          if (target !== undefined) add('references', { param: param.code, ...target });
          break;
        }
      }
    }
  }
  return values;
}

/**
 * Case- and accent-insensitive form of a string, for string search (FHIR R4 search §3.1.1.4.7):
 * "Zoé Lœvenbruck" and "zoe loevenbruck" are the same.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[œŒ]/g, 'oe')
    .replace(/[æÆ]/g, 'ae')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .slice(0, MAX_INDEXED_LENGTH);
}

const REFERENCE = /(?:^|\/)([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** `Type/id`, relative or absolute, with or without a version; undefined for `#contained` and others. */
export function parseReference(reference: string): { targetType: string; targetId: string } | undefined {
  const match = REFERENCE.exec(reference);
  return match === null ? undefined : { targetType: match[1]!, targetId: match[2]! };
}

function referenceTargetOf(value: unknown) {
  const reference = (value as { reference?: unknown } | undefined)?.reference;
  return typeof reference === 'string' ? parseReference(reference) : undefined;
}

const fits = (text: string) => text.length <= MAX_INDEXED_LENGTH;

function tokensOf(type: string, value: unknown): { system: string; code: string }[] {
  const codings = (list: unknown): { system: string; code: string }[] =>
    (Array.isArray(list) ? list : []).flatMap((coding: { system?: unknown; code?: unknown }) =>
      typeof coding?.code === 'string' ? [{ system: typeof coding.system === 'string' ? coding.system : '', code: coding.code }] : [],
    );
  let tokens: { system: string; code: string }[];
  switch (type) {
    case 'CodeableConcept':
      tokens = codings((value as { coding?: unknown }).coding);
      break;
    case 'Coding':
      tokens = codings([value]);
      break;
    case 'Identifier': {
      const { system, value: code } = value as { system?: unknown; value?: unknown };
      tokens = typeof code === 'string' ? [{ system: typeof system === 'string' ? system : '', code }] : [];
      break;
    }
    case 'ContactPoint': {
      const code = (value as { value?: unknown }).value;
      tokens = typeof code === 'string' ? [{ system: '', code }] : [];
      break;
    }
    default:
      tokens = typeof value === 'string' || typeof value === 'boolean' ? [{ system: '', code: String(value) }] : [];
  }
  return tokens.filter((t) => fits(t.system) && fits(t.code));
}

const NAME_PARTS = ['text', 'family', 'given', 'prefix', 'suffix'];
const ADDRESS_PARTS = ['text', 'line', 'city', 'district', 'state', 'postalCode', 'country'];

function stringsOf(type: string, value: unknown): string[] {
  const parts = (names: string[]) =>
    names.flatMap((name) => {
      const part = (value as Record<string, unknown>)[name];
      return (Array.isArray(part) ? part : [part]).filter((p): p is string => typeof p === 'string');
    });
  if (type === 'HumanName') return parts(NAME_PARTS);
  if (type === 'Address') return parts(ADDRESS_PARTS);
  return typeof value === 'string' ? [value.slice(0, MAX_INDEXED_LENGTH)] : [];
}

function dateOf(type: string, value: unknown): DateRange | undefined {
  if (type === 'Period') return periodRangeOf(value as { start?: string; end?: string });
  return typeof value === 'string' ? dateRangeOf(value) : undefined;
}

/** The parameters of a type that a search may name, for error messages and the CapabilityStatement. */
export function searchParamList(resourceType: string): SearchParam[] {
  return [...searchParamsOf(resourceType).values()];
}
