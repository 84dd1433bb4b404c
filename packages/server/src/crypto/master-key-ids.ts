import { type RawBuilder, sql } from 'kysely';

/**
 * A condition that holds where `column` names a master key that is none of `knownIds` (null never
 * matches). Written as the ranges between the known ids (below the first, between each pair,
 * above the last) so that, on an index led by the column, each is a range scan that finds nothing
 * when all is well, instead of a scan of every row. Ids are hex of one length, compared as
 * `collate "C"` text: JavaScript's sort orders them the same way.
 */
export function namesUnknownMasterKey(column: string, knownIds: readonly string[]): RawBuilder<boolean> {
  const ids = [...new Set(knownIds)].sort();
  const ref = sql.ref(column);
  const first = ids[0];
  const last = ids.at(-1);
  if (first === undefined || last === undefined) return sql<boolean>`${ref} is not null`;
  const ranges = [sql`${ref} < ${first}`, sql`${ref} > ${last}`];
  for (let i = 0; i + 1 < ids.length; i++) ranges.push(sql`(${ref} > ${ids[i]!} and ${ref} < ${ids[i + 1]!})`);
  return sql<boolean>`(${sql.join(ranges, sql` or `)})`;
}
