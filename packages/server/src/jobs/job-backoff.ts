/** The first retry waits this long; each next one twice as long as the one before. */
export const FIRST_RETRY_MS = 30_000;
/** No retry waits longer: a relay down for a day is tried again every hour, not every week. */
export const LONGEST_RETRY_MS = 60 * 60_000;

/**
 * How long to wait after failed attempt number `attempt` (from 1) before the next: 30 s, 1 min,
 * 2 min, 4 min… up to an hour. Exponential, so that a failing relay or service is not hammered,
 * and bounded, so that it is tried again soon after it comes back.
 */
export function retryDelayMs(attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a whole number from 1, got ${attempt}`);
  // Clamping the exponent keeps the product finite for any attempt count.
  return Math.min(FIRST_RETRY_MS * 2 ** Math.min(attempt - 1, 20), LONGEST_RETRY_MS);
}
