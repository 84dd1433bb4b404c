import type { Clock } from '../clock.ts';

/**
 * What this process read from the database, trusted for `ttlMs` by the clock, so that the FHIR read
 * path checks a token's client and professional without a query per request. Concurrent misses on
 * one key share one load. Past `maxEntries`, the oldest entries go first.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: Promise<V>; loadedAt: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #clock: Clock;

  constructor(options: { ttlMs: number; maxEntries: number; clock: Clock }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
    this.#clock = options.clock;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.#clock.now().getTime();
    const entry = this.#entries.get(key);
    // A clock moved backwards (tests, or NTP) also ends an entry: it cannot say how old it is.
    if (entry !== undefined && now - entry.loadedAt < this.#ttlMs && now >= entry.loadedAt) return entry.value;
    this.#entries.delete(key);
    const value = load();
    this.#entries.set(key, { value, loadedAt: now });
    // A failed load is not remembered: the next request tries again.
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    if (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
