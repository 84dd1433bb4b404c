import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Actor } from '../policy/actor.ts';
import { DEFAULT_EMERGENCY_SWITCHES, type RecordFacts } from '../policy/record-facts.ts';
import { currentAccessMatrix } from './access-matrix.store.ts';
import { findRelationshipFacts, findSpaceFacts } from './care-relationship.repository.ts';

/** The facts of a decision, and what the holder chose for new documents (filing applies it). */
export interface LoadedRecordFacts extends RecordFacts {
  maskNewDocuments: boolean;
}

/**
 * The facts the policy needs about a space and the actor, in one query: the space's status and,
 * for a professional, everything the patient decided about them (block, roles, emergency
 * switches), their consent declaration and their emergency access in force. Undefined when the
 * space does not exist. The access matrix comes from the node's cache.
 */
export async function loadRecordFacts(
  db: Kysely<Database>,
  patientId: string,
  actor: Actor,
  now: Date,
): Promise<LoadedRecordFacts | undefined> {
  if (actor.kind !== 'professional') {
    const space = await findSpaceFacts(db, patientId);
    return space === undefined ? undefined : { spaceStatus: space.status, maskNewDocuments: space.mask_new_documents ?? false };
  }
  const [row, matrix] = await Promise.all([findRelationshipFacts(db, patientId, actor.rpps, now), currentAccessMatrix(db)]);
  if (row === undefined) return undefined;
  return {
    spaceStatus: row.status,
    maskNewDocuments: row.mask_new_documents ?? false,
    care: {
      blocked: Boolean(row.blocked),
      roles: row.roles ?? [],
      consentDeclaredAt: row.consent_declared_at === null ? null : new Date(row.consent_declared_at),
      emergency: row.emergency,
      switches: {
        samuRegulation: row.samu_regulation ?? DEFAULT_EMERGENCY_SWITCHES.samuRegulation,
        breakTheGlass: row.break_the_glass ?? DEFAULT_EMERGENCY_SWITCHES.breakTheGlass,
        maskedInEmergency: row.masked_in_emergency ?? DEFAULT_EMERGENCY_SWITCHES.maskedInEmergency,
      },
      matrix: matrix.rowOf(actor.professionCode),
    },
  };
}
