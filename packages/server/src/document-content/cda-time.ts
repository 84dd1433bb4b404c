/**
 * HL7 v3 TS values (`YYYYMMDDHHMMSS.UUUU±ZZZZ`, any precision from the year) to ISO 8601. A value
 * with a time of day must give its offset: "10:30" alone names no instant. Returns undefined when
 * the value is not a valid TS; callers say where.
 */
const TS = /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(\d{2})?(\d{2})?(\.\d{1,4})?)?)?)?([+-]\d{4})?$/;

export type TimeProblem = 'invalid' | 'no-offset';

export function hl7TimeToIso(value: string): string | TimeProblem {
  const match = TS.exec(value.trim());
  if (match === null) return 'invalid';
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  if (month !== undefined && (Number(month) < 1 || Number(month) > 12)) return 'invalid';
  if (day !== undefined && (Number(day) < 1 || Number(day) > daysIn(Number(year), Number(month)))) return 'invalid';
  if (hour === undefined) return [year, month, day].filter((part) => part !== undefined).join('-');
  if (Number(hour) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59) return 'invalid';
  if (offset === undefined) return 'no-offset';
  const offsetHours = Number(offset.slice(1, 3));
  if (offsetHours > 14 || Number(offset.slice(3)) > 59) return 'invalid';
  const millis = fraction === undefined ? '' : `.${fraction.slice(1).padEnd(3, '0').slice(0, 3)}`;
  const zone = offset === '+0000' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  return `${year}-${month}-${day}T${hour}:${minute ?? '00'}:${second ?? '00'}${millis}${zone}`;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
