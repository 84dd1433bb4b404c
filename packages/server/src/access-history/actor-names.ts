import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { findAccountNames, findProfessionalsByRpps, type ProfessionalName } from './actor-names.repository.ts';

/**
 * Who an audit entry names, as a person reading their history wants to see them. Entries keep
 * stable identifiers (`rpps:…`, `account:…`), never names, so that a name corrected later shows
 * corrected, and the chain holds no more personal data than it needs.
 */
export interface NamedActor {
  name: string | null;
  organization?: string | null;
  rpps?: string;
  professionCode?: string;
}

/** TRE-G15 10: médecin, who holds a doctorate and is addressed as "Dr". */
const PHYSICIAN = '10';

/** "BERNARD" → "Bernard", "LE GALL-DURAND" → "Le Gall-Durand". */
export const titleCase = (name: string) =>
  name.toLocaleLowerCase('fr').replace(/(^|[\s'’-])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toLocaleUpperCase('fr'));

export function professionalDisplayName(p: Pick<ProfessionalName, 'givenName' | 'familyName' | 'professionCode'>): string {
  const name = `${titleCase(p.givenName)} ${titleCase(p.familyName)}`;
  return p.professionCode === PHYSICIAN ? `Dr ${name}` : name;
}

/** Resolves every actor id in `ids` in two queries; an id that resolves to nobody maps to null names. */
export async function resolveActorNames(db: Kysely<Database>, ids: Iterable<string>): Promise<Map<string, NamedActor>> {
  const rppsList = new Set<string>();
  const accountIds = new Set<string>();
  for (const id of ids) {
    const [scheme, value] = splitActorId(id);
    if (scheme === 'rpps') rppsList.add(value);
    if (scheme === 'account' && /^[0-9a-f-]{36}$/.test(value)) accountIds.add(value);
  }
  const [professionals, accounts] = await Promise.all([
    findProfessionalsByRpps(db, [...rppsList]),
    findAccountNames(db, [...accountIds]),
  ]);
  const names = new Map<string, NamedActor>();
  for (const p of professionals) {
    names.set(`rpps:${p.rpps}`, {
      name: professionalDisplayName(p),
      organization: p.organization,
      rpps: p.rpps,
      professionCode: p.professionCode,
    });
  }
  for (const a of accounts) names.set(`account:${a.accountId}`, { name: a.displayName });
  return names;
}

function splitActorId(id: string): [string, string] {
  const colon = id.indexOf(':');
  return colon < 0 ? ['', id] : [id.slice(0, colon), id.slice(colon + 1)];
}
