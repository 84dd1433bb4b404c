import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import {
  consumeState,
  deleteState,
  deleteStatesOfGrant,
  findState,
  findStateBy,
  insertUniqueState,
  purgeExpiredStates,
  type StoredState,
  upsertState,
} from './oauth-state.repository.ts';
import { oauthErrors } from './oidc-provider-api.ts';
import { findSoftwareClient, type SoftwareClientRow } from './software-client.repository.ts';

/** How often a node deletes expired rows, at most (on its next write). */
const PURGE_INTERVAL_MS = 10 * 60 * 1000;

/** oidc-provider's storage interface (its `adapter` option), one instance per model. */
export interface OidcAdapter {
  upsert(id: string, payload: Record<string, unknown>, expiresIn: number | undefined): Promise<void>;
  find(id: string): Promise<Record<string, unknown> | undefined>;
  findByUid(uid: string): Promise<Record<string, unknown> | undefined>;
  findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/**
 * oidc-provider's models in PostgreSQL (table oauth_state), shared by every node. Clients are not
 * stored there: the `Client` model reads the software_client table, so a revoked client is unknown
 * to the token endpoint from the moment it is revoked.
 */
export function createOAuthAdapter(db: Kysely<Database>): (model: string) => OidcAdapter {
  let lastPurge = 0;
  const purgeNow = async (now: Date) => {
    if (now.getTime() - lastPurge < PURGE_INTERVAL_MS) return;
    lastPurge = now.getTime();
    await purgeExpiredStates(db, now);
  };
  return (model) => (model === 'Client' ? clientAdapter(db) : stateAdapter(db, model, purgeNow));
}

function stateAdapter(db: Kysely<Database>, model: string, purge: (now: Date) => Promise<void>): OidcAdapter {
  const payloadOf = (stored: StoredState | undefined) => {
    if (stored === undefined) return undefined;
    // oidc-provider reads `consumed` (a timestamp) to refuse a code or token used once already.
    return stored.consumedAt === null ? stored.payload : { ...stored.payload, consumed: Math.floor(stored.consumedAt.getTime() / 1000) };
  };
  return {
    async upsert(id, payload, expiresIn) {
      const now = new Date();
      const row = {
        model,
        id,
        payload,
        grantId: stringOrNull(payload.grantId),
        uid: stringOrNull(payload.uid),
        userCode: stringOrNull(payload.userCode),
        expiresAt: typeof expiresIn === 'number' ? new Date(now.getTime() + expiresIn * 1000) : null,
      };
      await purge(now);
      if (model === 'ReplayDetection') {
        // oidc-provider looks the jti up, then saves it: two requests carrying the same assertion
        // at once would both pass the look-up. The insert is the check that cannot race (RFC 7523
        // §3 item 7; checklist D9).
        if (!(await insertUniqueState(db, row, now))) {
          throw new oauthErrors.InvalidClientAuth('client assertion tokens must only be used once');
        }
        return;
      }
      await upsertState(db, row);
    },
    async find(id) {
      return payloadOf(await findState(db, model, id, new Date()));
    },
    async findByUid(uid) {
      return payloadOf(await findStateBy(db, model, 'uid', uid, new Date()));
    },
    async findByUserCode(userCode) {
      return payloadOf(await findStateBy(db, model, 'user_code', userCode, new Date()));
    },
    async consume(id) {
      await consumeState(db, model, id, new Date());
    },
    async destroy(id) {
      await deleteState(db, model, id);
    },
    async revokeByGrantId(grantId) {
      await deleteStatesOfGrant(db, grantId);
    },
  };
}

const stringOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

/** Clients are registered through Carnet (software-clients.routes.ts), never by the provider. */
function clientAdapter(db: Kysely<Database>): OidcAdapter {
  const refuse = async () => {
    throw new Error('Software clients are registered through Carnet, not through the OAuth server.');
  };
  return {
    async find(id) {
      const row = await findSoftwareClient(db, id);
      return row === undefined || row.revoked_at !== null ? undefined : clientMetadataOf(row);
    },
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    upsert: refuse,
    consume: refuse,
    destroy: refuse,
    revokeByGrantId: refuse,
  };
}

/**
 * The client as oidc-provider knows it (RFC 7591 §2 metadata): client credentials only,
 * authenticated by a JWT signed with one of its registered keys (RFC 7523 §2.2).
 */
export function clientMetadataOf(row: SoftwareClientRow): Record<string, unknown> {
  return {
    client_id: row.client_id,
    client_name: row.name,
    token_endpoint_auth_method: 'private_key_jwt',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    jwks: row.jwks,
  };
}
