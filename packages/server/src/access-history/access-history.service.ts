import type { AuditActorType, AuditEntry } from '../audit/audit.entry.ts';
import { listAuditEntries } from '../audit/audit.service.ts';
import { type AccessContext, authorizeOnRecord } from '../patients/patient-access.ts';
import { type NamedActor, resolveActorNames } from './actor-names.ts';
import { findHolderAccountId } from './actor-names.repository.ts';

export const HISTORY_PAGE_MAX = 100;
export const HISTORY_PAGE_DEFAULT = 50;

export interface HistoryQuery {
  actorType?: AuditActorType;
  /** The `seq` of the oldest entry already shown: the page continues below it. */
  before?: number;
  limit?: number;
}

export interface HistoryEntry {
  entry: AuditEntry;
  actor: NamedActor & { self: boolean };
  onBehalfOf: NamedActor | null;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Where the next page starts (`before`), or null when this one is the last. */
  nextBefore: number | null;
}

/**
 * A page of the patient's access history, newest first, with the people it names. Reading it is
 * itself an access, decided and recorded like any other: the holder sees their own visit at the
 * top of the list.
 */
export async function readAccessHistory(context: AccessContext, patientId: string, query: HistoryQuery): Promise<HistoryPage> {
  await authorizeOnRecord(context, { patientId, action: 'access-history.read', resource: { type: 'AuditEvent' } });
  const limit = query.limit ?? HISTORY_PAGE_DEFAULT;
  // One more than asked tells whether another page follows, without a count.
  const rows = await listAuditEntries(context.db, patientId, {
    limit: limit + 1,
    ...(query.actorType === undefined ? {} : { actorType: query.actorType }),
    ...(query.before === undefined ? {} : { before: query.before }),
  });
  const page = rows.slice(0, limit);
  const ids = page.flatMap((e) => (e.onBehalfOf === null ? [e.actorId] : [e.actorId, e.onBehalfOf]));
  const [names, holder] = await Promise.all([resolveActorNames(context.db, ids), findHolderAccountId(context.db, patientId)]);
  const nameOf = (id: string): NamedActor => names.get(id) ?? { name: null };
  return {
    entries: page.map((entry) => ({
      entry,
      actor: {
        // Operator staff act for the service: the history says "support", not which employee.
        ...(entry.actorType === 'operator' ? { name: null } : nameOf(entry.actorId)),
        self: holder !== undefined && entry.actorId === `account:${holder}`,
      },
      onBehalfOf: entry.onBehalfOf === null ? null : nameOf(entry.onBehalfOf),
    })),
    nextBefore: rows.length > limit ? page[page.length - 1]!.seq : null,
  };
}
