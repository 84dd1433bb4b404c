import pg from 'pg';

/** A statement text run this many times on a connection is prepared there (parsed and planned once). */
export const PREPARE_AFTER_USES = 2;
/** Prepared statements kept per connection; beyond, texts run unprepared as before. */
export const MAX_PREPARED_PER_CONNECTION = 500;
/**
 * Texts counted per connection before they are prepared; the counts restart when it is full. Small:
 * a repeated text comes back long before a few hundred others, and each counted text is kept.
 */
const MAX_COUNTED_TEXTS = 256;

/**
 * A pg client that prepares the statements it runs repeatedly, as the PostgreSQL JDBC driver does
 * with its `prepareThreshold`: Kysely sends every query as an unnamed statement, which PostgreSQL
 * parses, analyses and plans again each time, and on Carnet's hot paths (a FHIR read: the resource,
 * the policy facts) planning took longer than running. A named statement is parsed once per
 * connection, and its plan is cached by the server.
 *
 * The name is a per-connection counter, never reused, so a name always means one text. Texts run
 * once (a bulk insert of n rows, a search of a rare shape) are never prepared; the cap bounds the
 * server memory each connection holds. Behind PgBouncer, its transaction mode needs
 * `max_prepared_statements` (PgBouncer ≥ 1.21), as docs/operations.md says.
 */
export class PreparingClient extends pg.Client {
  readonly #prepared = new Map<string, string>();
  readonly #uses = new Map<string, number>();
  #nextName = 1;

  // pg's query() is overloaded (text, config or Query object; promise or callback); only the form
  // Kysely uses, text and values with no callback, is prepared. Everything else passes through.
  override query(...args: unknown[]): never {
    const query = super.query as unknown as (this: pg.Client, ...a: unknown[]) => never;
    const [text, values, callback] = args;
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      const name = this.#nameFor(text);
      if (name !== undefined) return query.call(this, { name, text, values });
    }
    return query.apply(this, args);
  }

  #nameFor(text: string): string | undefined {
    const known = this.#prepared.get(text);
    if (known !== undefined) return known;
    if (this.#prepared.size >= MAX_PREPARED_PER_CONNECTION) return undefined;
    const uses = (this.#uses.get(text) ?? 0) + 1;
    if (uses < PREPARE_AFTER_USES) {
      if (this.#uses.size >= MAX_COUNTED_TEXTS) this.#uses.clear();
      this.#uses.set(text, uses);
      return undefined;
    }
    this.#uses.delete(text);
    const name = `carnet_${this.#nextName++}`;
    this.#prepared.set(text, name);
    return name;
  }
}
