/**
 * The time, as every rule with a deadline reads it (session timeouts, code expiry, lockouts).
 * Injected through Deps so that tests move time forward instead of sleeping.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
