import { isValidRpps } from '@carnet/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { oauthErrors } from './oidc-provider-api.ts';
import { findFiness, findProfessionalById, findProfessionalByRpps, type SoftwareClientRow } from './software-client.repository.ts';

/** The claims naming who acts, added to a software client's access token. */
export interface ActingProfessionalClaims {
  /** The professional's RPPS number. */
  rpps: string;
  /** The FINESS of the organisation the software belongs to; absent for a professional's own software. */
  finess?: string;
}

/**
 * The professional a token request acts for: the `practitioner` parameter (an RPPS number), who
 * must be in the directory and belong to the software's organisation. A professional's own
 * software acts for its owner only, who may then go unnamed. Errors are OAuth errors
 * (RFC 6749 §5.2) that say what to send instead.
 */
export async function actingProfessional(
  db: Kysely<Database>,
  client: SoftwareClientRow,
  practitioner: unknown,
): Promise<ActingProfessionalClaims> {
  if (Array.isArray(practitioner)) throw new oauthErrors.InvalidRequest('practitioner must be given once');
  const given = typeof practitioner === 'string' && practitioner !== '' ? practitioner : undefined;
  if (client.organization_id === null) return ownersClaims(db, client, given);
  if (given === undefined) {
    throw new oauthErrors.InvalidRequest(
      'practitioner is required: the RPPS number (11 digits) of the professional this software acts for',
    );
  }
  assertRpps(given);
  const professional = await findProfessionalByRpps(db, given);
  if (professional === undefined) throw new oauthErrors.InvalidRequest(`practitioner ${given} is not in Carnet's directory of professionals`);
  const finess = await findFiness(db, client.organization_id);
  if (professional.organization_id !== client.organization_id) {
    throw new oauthErrors.InvalidRequest(`practitioner ${given} does not belong to this software's organisation (FINESS ${finess})`);
  }
  return finess === undefined ? { rpps: given } : { rpps: given, finess };
}

async function ownersClaims(db: Kysely<Database>, client: SoftwareClientRow, given: string | undefined): Promise<ActingProfessionalClaims> {
  if (given !== undefined) assertRpps(given);
  const owner = await findProfessionalById(db, client.professional_id!);
  if (owner === undefined) throw new oauthErrors.InvalidRequest("this software's owner is no longer in Carnet's directory");
  if (given !== undefined && given !== owner.rpps) {
    throw new oauthErrors.InvalidRequest("this software is a professional's own and acts only for them; omit practitioner or give their RPPS");
  }
  return { rpps: owner.rpps };
}

function assertRpps(value: string) {
  if (!isValidRpps(value)) {
    throw new oauthErrors.InvalidRequest('practitioner must be an RPPS number: 11 digits ending with a valid check digit');
  }
}
