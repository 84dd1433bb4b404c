import { describe, expect, it } from 'vitest';
import { FIRST_RETRY_MS, LONGEST_RETRY_MS, retryDelayMs } from './job-backoff.ts';

describe('retry backoff', () => {
  it('doubles the wait after each failed attempt, from 30 seconds', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
  });

  it('never waits more than an hour, however many attempts failed', () => {
    expect(retryDelayMs(8)).toBe(LONGEST_RETRY_MS);
    expect(retryDelayMs(1000)).toBe(LONGEST_RETRY_MS);
    for (let attempt = 1; attempt < 30; attempt++) {
      expect(retryDelayMs(attempt + 1)).toBeGreaterThanOrEqual(retryDelayMs(attempt));
      expect(retryDelayMs(attempt)).toBeGreaterThanOrEqual(FIRST_RETRY_MS);
    }
  });

  it('refuses an attempt number that is not a count', () => {
    for (const attempt of [0, -1, 1.5, Number.NaN]) expect(() => retryDelayMs(attempt)).toThrow(RangeError);
  });
});
