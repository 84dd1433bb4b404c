import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import { badRequest } from '../errors.ts';
import type { Actor, ProfessionalActor } from '../policy/actor.ts';
import { publicJwksOf } from './client-jwks.ts';
import { noSuchSoftwareClient, professionalsOnly } from './oauth.errors.ts';
import type { OAuthRuntime } from './oauth-runtime.ts';
import { grantableScopes, splitScopes } from './smart-scopes.ts';
import {
  insertSoftwareClient,
  listClientsOfProfessional,
  revokeClientOfProfessional,
  type SoftwareClientRow,
} from './software-client.repository.ts';

/**
 * What professionals' software may do at most: find patients, file and manage documents with
 * their binaries and lists (IHE MHD ITI-65, 67, 68). A client asks for these or fewer.
 */
export const PROFESSIONAL_SOFTWARE_SCOPES = 'system/DocumentReference.cruds system/Binary.cr system/List.crs system/Patient.rs';

export interface SoftwareClientView {
  clientId: string;
  name: string;
  scopes: string;
  /** The key ids (or key types, for keys without one) the client signs with. */
  keys: string[];
  createdAt: string;
  revokedAt: string | null;
}

interface Context {
  db: Kysely<Database>;
  clock: Clock;
  actor: Actor;
}

/**
 * Software clients are not patient data: no policy decision applies. A professional manages
 * their own software; no other kind of actor has any (organisations' software is registered by
 * the operator).
 */
function professionalOf(actor: Actor): ProfessionalActor {
  if (actor.kind !== 'professional') throw professionalsOnly();
  return actor;
}

/** Registers a professional's own software: it will act for them alone. */
export async function registerSoftwareClient(
  context: Context,
  input: { name: string; jwks: unknown; scopes?: string },
): Promise<SoftwareClientView> {
  const professional = professionalOf(context.actor);
  const jwks = publicJwksOf(input.jwks);
  const scopes = clientScopes(input.scopes);
  const clientId = randomUUID();
  const now = context.clock.now();
  await context.db.transaction().execute(async (trx) => {
    await insertSoftwareClient(trx, {
      client_id: clientId,
      name: input.name.trim(),
      organization_id: null,
      professional_id: professional.professionalId,
      jwks: JSON.stringify(jwks),
      allowed_scopes: scopes,
      created_at: now,
    });
    await recordAudit(trx, managementRecord(professional, 'software-client.register', clientId, now));
  });
  return { clientId, name: input.name.trim(), scopes, keys: keyNames(jwks.keys), createdAt: now.toISOString(), revokedAt: null };
}

export async function listSoftwareClients(context: Omit<Context, 'clock'>): Promise<SoftwareClientView[]> {
  const professional = professionalOf(context.actor);
  return (await listClientsOfProfessional(context.db, professional.professionalId)).map(viewOf);
}

/** Revokes at once: no new token, and the live ones are refused on this node now, on others within CARNET_OAUTH_CLIENT_CACHE_SECONDS. */
export async function revokeSoftwareClient(context: Context & { oauth: Pick<OAuthRuntime, 'forgetClient'> }, clientId: string): Promise<void> {
  const professional = professionalOf(context.actor);
  const now = context.clock.now();
  await context.db.transaction().execute(async (trx) => {
    if (!(await revokeClientOfProfessional(trx, professional.professionalId, clientId, now))) throw noSuchSoftwareClient();
    await recordAudit(trx, managementRecord(professional, 'software-client.revoke', clientId, now));
  });
  context.oauth.forgetClient(clientId);
}

function clientScopes(requested: string | undefined): string {
  if (requested === undefined) return PROFESSIONAL_SOFTWARE_SCOPES;
  const wanted = splitScopes(requested);
  const allowed = grantableScopes(wanted, splitScopes(PROFESSIONAL_SOFTWARE_SCOPES));
  const refused = wanted.filter((scope) => !allowed.includes(scope));
  if (wanted.length === 0 || refused.length > 0) {
    throw badRequest(`scopes must be SMART system scopes within ${PROFESSIONAL_SOFTWARE_SCOPES}${refused.length > 0 ? `; refused: ${refused.join(' ')}` : ''}.`, 'scopes');
  }
  return allowed.join(' ');
}

const managementRecord = (actor: ProfessionalActor, action: string, clientId: string, at: Date) => ({
  patientId: null,
  occurredAt: at,
  actorType: 'professional' as const,
  actorId: `rpps:${actor.rpps}`,
  action,
  resourceType: 'SoftwareClient',
  resourceId: clientId,
  outcome: 'permit' as const,
  reason: 'own-software',
});

const keyNames = (keys: Record<string, unknown>[]) => keys.map((key) => (typeof key.kid === 'string' ? key.kid : String(key.kty)));

function viewOf(row: SoftwareClientRow): SoftwareClientView {
  return {
    clientId: row.client_id,
    name: row.name,
    scopes: row.allowed_scopes,
    keys: keyNames(row.jwks.keys),
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at === null ? null : row.revoked_at.toISOString(),
  };
}
