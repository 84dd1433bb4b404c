import { api } from './http.ts';

export type ActorType = 'patient' | 'professional' | 'operator' | 'software' | 'app' | 'system';

/** One access to a patient's space, as GET /api/patients/:patientId/access-history lists it. */
export interface AccessEntry {
  seq: number;
  occurredAt: string;
  /** `name` is null when the actor is unknown, and for operator staff (shown as the service). */
  actor: { type: ActorType; name: string | null; self: boolean; organization?: string };
  /** The person the actor acted for (a delegate's or legal representative's principal). */
  onBehalfOf: { name: string | null } | null;
  action: string;
  resourceType: string | null;
  purpose: string | null;
  outcome: 'permit' | 'deny';
  reason: string;
}

export interface AccessHistoryPage {
  entries: AccessEntry[];
  /** The `before` of the next (older) page; null on the last one. */
  nextBefore: number | null;
}

export function fetchAccessHistory(
  patientId: string,
  query: { actorType?: ActorType | undefined; before?: number | undefined; limit: number },
): Promise<AccessHistoryPage> {
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.actorType !== undefined) params.set('actorType', query.actorType);
  if (query.before !== undefined) params.set('before', String(query.before));
  return api<AccessHistoryPage>(`/api/patients/${encodeURIComponent(patientId)}/access-history?${params}`);
}
