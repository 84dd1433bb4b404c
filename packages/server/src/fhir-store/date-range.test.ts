import { describe, expect, it } from 'vitest';
import { dateRangeOf, periodRangeOf } from './date-range.ts';

describe('dateRangeOf', () => {
  it('reads each precision as the whole span it names', () => {
    expect(dateRangeOf('2024')).toEqual({ lo: '2024-01-01T00:00:00.000Z', hi: '2025-01-01T00:00:00.000Z' });
    expect(dateRangeOf('2024-02')).toEqual({ lo: '2024-02-01T00:00:00.000Z', hi: '2024-03-01T00:00:00.000Z' });
    expect(dateRangeOf('2024-02-29')).toEqual({ lo: '2024-02-29T00:00:00.000Z', hi: '2024-03-01T00:00:00.000Z' });
    expect(dateRangeOf('2024-12-31T23:59')).toEqual({ lo: '2024-12-31T23:59:00.000Z', hi: '2025-01-01T00:00:00.000Z' });
    expect(dateRangeOf('2024-03-02T10:00:05+01:00')).toEqual({ lo: '2024-03-02T09:00:05.000Z', hi: '2024-03-02T09:00:06.000Z' });
    expect(dateRangeOf('2024-03-02T10:00:05.25Z')).toEqual({ lo: '2024-03-02T10:00:05.250Z', hi: '2024-03-02T10:00:05.260Z' });
  });

  it('refuses what is not a date', () => {
    for (const text of ['2023-02-29', '2024-13', '2024-01-01T24:00', '24', 'yesterday', '2024-01-01T10:00+15:00', '2024-01-01 10:00']) {
      expect(dateRangeOf(text), text).toBeUndefined();
    }
  });

  it('reads a period from its start to the end of its end, open where a bound is missing', () => {
    expect(periodRangeOf({ start: '2024-12-01', end: '2024-12-15' })).toEqual({ lo: '2024-12-01T00:00:00.000Z', hi: '2024-12-16T00:00:00.000Z' });
    expect(periodRangeOf({ start: '2024-12-01' })).toEqual({ lo: '2024-12-01T00:00:00.000Z', hi: 'infinity' });
    expect(periodRangeOf({ end: '2024' })).toEqual({ lo: '-infinity', hi: '2025-01-01T00:00:00.000Z' });
    expect(periodRangeOf({})).toBeUndefined();
  });
});
