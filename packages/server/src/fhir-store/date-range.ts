/**
 * A date value as the time range it stands for (FHIR R4 search §3.1.1.4.2.1 "date"): `2024` is the
 * whole year, `2024-03-01T10:00` the whole minute. Half-open, `[lo, hi)`, as PostgreSQL timestamptz
 * text: an ISO instant, or `-infinity` / `infinity` for an open end of a Period.
 */
export interface DateRange {
  lo: string;
  hi: string;
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The range of a FHIR date, dateTime or instant, or undefined when the text is none of them. A
 * time without a zone is read as UTC (FHIR leaves it to the server).
 */
export function dateRangeOf(text: string): DateRange | undefined {
  const m = DATE.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (h === undefined) {
    const lo = utc(year, month - 1, day);
    const hi = mo === undefined ? utc(year + 1, 0, 1) : d === undefined ? utc(year, month, 1) : utc(year, month - 1, day + 1);
    return { lo: lo.toISOString(), hi: hi.toISOString() };
  }
  const [hour, minute, second] = [Number(h), Number(mi), s === undefined ? 0 : Number(s)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = fraction === undefined ? 0 : Number(`0.${fraction}`) * 1000;
  const offsetMinutes = zoneOffsetMinutes(zone);
  if (offsetMinutes === undefined) return undefined;
  const lo = utc(year, month - 1, day, hour, minute, second).getTime() + Math.floor(millis) - offsetMinutes * 60_000;
  // The precision given is the width of the range; below a millisecond, JavaScript cannot count.
  const width = s === undefined ? 60_000 : fraction === undefined ? 1000 : Math.max(1, 1000 / 10 ** fraction.length);
  return { lo: new Date(lo).toISOString(), hi: new Date(lo + Math.ceil(width)).toISOString() };
}

/** The range of a Period: from its start's beginning to its end's end, open where a bound is missing. */
export function periodRangeOf(period: { start?: string; end?: string }): DateRange | undefined {
  const start = period.start === undefined ? undefined : dateRangeOf(period.start);
  const end = period.end === undefined ? undefined : dateRangeOf(period.end);
  if ((period.start !== undefined && start === undefined) || (period.end !== undefined && end === undefined)) return undefined;
  if (start === undefined && end === undefined) return undefined;
  return { lo: start?.lo ?? '-infinity', hi: end?.hi ?? 'infinity' };
}

function utc(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0): Date {
  const date = new Date(Date.UTC(year, monthIndex, day, hour, minute, second));
  // Date.UTC reads years 0–99 as 1900–1999.
  if (year < 100) date.setUTCFullYear(date.getUTCFullYear() - 1900);
  return date;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate();
}

function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 14 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}
