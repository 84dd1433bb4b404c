import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/database.ts';
import type { ProfessionalActor } from '../policy/actor.ts';
import type { AccessTokenClaims } from './access-token.ts';
import { invalidToken } from './oauth.errors.ts';
import { type DirectoryProfessional, findProfessionalByRpps, findSoftwareClient } from './software-client.repository.ts';
import { TtlCache } from './ttl-cache.ts';

interface ClientStatus {
  clientId: string;
  organizationId: string | null;
  professionalId: string | null;
  revoked: boolean;
}

export interface SoftwareActors {
  /** The professional a verified token acts for, through its still-registered software. */
  actorOf(claims: AccessTokenClaims): Promise<ProfessionalActor>;
  /** Forgets what this process knows of a client, so that its revocation applies here at once. */
  forgetClient(clientId: string): void;
}

/**
 * Turns a verified access token into a ProfessionalActor, checking what may have changed since it
 * was issued: the client revoked, the professional gone from the directory or from the client's
 * organisation (checklist C5). These facts are read from the database at most once per
 * `cacheSeconds` per client and per professional on each node: that is how long another node may
 * still accept a token after a revocation. The node that revokes forgets at once.
 */
export function createSoftwareActors(options: { db: Kysely<Database>; clock: Clock; cacheSeconds: number }): SoftwareActors {
  const { db, clock } = options;
  const ttlMs = options.cacheSeconds * 1000;
  const clients = new TtlCache<ClientStatus | undefined>({ ttlMs, maxEntries: 10_000, clock });
  const professionals = new TtlCache<DirectoryProfessional | undefined>({ ttlMs, maxEntries: 100_000, clock });

  const loadClient = async (clientId: string): Promise<ClientStatus | undefined> => {
    const row = await findSoftwareClient(db, clientId);
    return row === undefined
      ? undefined
      : { clientId, organizationId: row.organization_id, professionalId: row.professional_id, revoked: row.revoked_at !== null };
  };

  return {
    async actorOf(claims) {
      const client = await clients.get(claims.clientId, () => loadClient(claims.clientId));
      if (client === undefined || client.revoked) throw invalidToken('its software client has been revoked');
      const professional = await professionals.get(claims.rpps, () => findProfessionalByRpps(db, claims.rpps));
      if (professional === undefined) throw invalidToken('its professional is no longer in the directory');
      const actsFor =
        client.organizationId === null
          ? professional.professional_id === client.professionalId
          : professional.organization_id === client.organizationId;
      if (!actsFor) throw invalidToken("its professional no longer belongs to the software's organisation");
      return {
        kind: 'professional',
        // A professional known to the directory may have no Carnet login: the software is then
        // the only way they act, and the audit names them by RPPS either way.
        accountId: professional.account_id ?? `software:${client.clientId}`,
        professionalId: professional.professional_id,
        rpps: professional.rpps,
        professionCode: professional.profession_code,
        specialtyCode: professional.specialty_code,
        organizationId: professional.organization_id,
        software: { clientId: client.clientId, organizationId: client.organizationId, scopes: claims.scopes },
      };
    },
    forgetClient(clientId) {
      clients.delete(clientId);
    },
  };
}
