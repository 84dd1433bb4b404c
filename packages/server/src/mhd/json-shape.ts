/**
 * Reading untrusted JSON without trusting its shape: a submission is `unknown` until each field
 * has been looked at, so that a string where an object belongs is a located problem, not a crash.
 */
export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const objectAt = (value: unknown, key: string): JsonObject | undefined => {
  if (!isObject(value)) return undefined;
  const field = value[key];
  return isObject(field) ? field : undefined;
};

export const stringAt = (value: unknown, key: string): string | undefined => {
  if (!isObject(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' ? field : undefined;
};

export const arrayAt = (value: unknown, key: string): unknown[] => {
  if (!isObject(value)) return [];
  const field = value[key];
  return Array.isArray(field) ? field : [];
};

/** `Array.isArray`, or absent: what a FHIR 0..* element may be. */
export const isArrayOrAbsent = (value: unknown, key: string): boolean =>
  !isObject(value) || value[key] === undefined || Array.isArray(value[key]);

export interface Coding {
  system: string | undefined;
  code: string;
  display: string | undefined;
}

/** The codings of a CodeableConcept that carry a code. */
export function codingsOf(concept: unknown): Coding[] {
  return arrayAt(concept, 'coding').flatMap((coding) => {
    const code = stringAt(coding, 'code');
    return code === undefined || code === '' ? [] : [{ system: stringAt(coding, 'system'), code, display: stringAt(coding, 'display') }];
  });
}

/** FHIR R4 dateTime: a year, year-month, date, or date and time with a zone. */
const DATE_TIME =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;
export const isDateTime = (value: string) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value.length === 4 ? `${value}-01-01` : value));
/** FHIR R4 instant: a full date and time with its zone. */
export const isInstant = (value: string) => isDateTime(value) && value.includes('T');
