import { isValidRpps } from '@carnet/shared';
import { PROFESSION, professionOf } from '../codes/professions.ts';
import { badRequest, CarnetError, notFound } from '../errors.ts';
import { type AccessContext, authorizeChangeOnRecord, authorizeOnRecord, nowOf } from '../patients/patient-access.ts';
import { type CareRole, DEFAULT_EMERGENCY_SWITCHES, type EmergencySwitches } from '../policy/record-facts.ts';
import {
  addRole,
  blockProfessional,
  deleteConsentDeclaration,
  type DirectoryProfessional,
  findProfessionalByRpps,
  findRoleHolder,
  listRelationships,
  findEmergencySwitches,
  type RelationshipRow,
  removeRole,
  saveEmergencySwitches,
  unblockProfessional,
} from './care-team.repository.ts';

/**
 * The holder's controls over professionals: who is blocked, who holds a role (treating doctor,
 * referring midwife, correspondent pharmacist, administrator), withdrawing a professional's consent
 * declaration, and the three emergency switches. Each is decided by the policy (care-team.read /
 * care-team.write: the holder only) and audited; a change commits with its audit entry.
 */

/** A professional as the holder's list shows them. */
export interface CareTeamMember {
  rpps: string;
  /** From the directory; null when the professional has left it. */
  name: { family: string; given: string } | null;
  profession: { code: string; display: string | null } | null;
  specialtyCode: string | null;
  blocked: boolean;
  roles: CareRole[];
  /** The professional's declaration that the holder consents, while in force. */
  consentDeclaredAt: string | null;
  lastEmergencyAccess: { mode: string; startedAt: string; expiresAt: string } | null;
}

const careTeam = (patientId: string) => ({ type: 'CareTeam', id: patientId });

export async function listCareTeam(context: AccessContext, patientId: string): Promise<CareTeamMember[]> {
  await authorizeOnRecord(context, { patientId, action: 'care-team.read', resource: careTeam(patientId) });
  return (await listRelationships(context.db, patientId)).map(memberOf);
}

/** Blocks or unblocks a professional: once blocked they see nothing, even in an emergency, and may not file. */
export async function setBlocked(context: AccessContext, patientId: string, rpps: string, blocked: boolean): Promise<void> {
  if (blocked) await directoryEntry(context, rpps);
  else checkRpps(rpps);
  await authorizeChangeOnRecord(context, careTeamWrite(patientId, rpps), async (trx) => {
    if (blocked) await blockProfessional(trx, patientId, rpps, nowOf(context));
    else await unblockProfessional(trx, patientId, rpps);
  });
}

/** The profession a role requires (TRE_G15); the administrator may be any professional. */
const ROLE_PROFESSION: Partial<Record<CareRole, { code: string; name: string }>> = {
  MEDECIN_TRAITANT: { code: PROFESSION.medecin, name: 'a médecin' },
  SAGE_FEMME_REFERENTE: { code: PROFESSION.sageFemme, name: 'a sage-femme' },
  PHARMACIEN_CORRESPONDANT: { code: PROFESSION.pharmacien, name: 'a pharmacien' },
};

/** Gives or takes back a role. A space has at most one treating doctor: the holder removes one before naming another. */
export async function setRole(context: AccessContext, patientId: string, rpps: string, role: CareRole, granted: boolean): Promise<void> {
  if (granted) {
    const professional = await directoryEntry(context, rpps);
    const required = ROLE_PROFESSION[role];
    if (required !== undefined && professional.professionCode !== required.code) {
      throw badRequest(`${role} must be ${required.name}; RPPS ${rpps} is registered as ${professionName(professional)}.`, 'role');
    }
  } else checkRpps(rpps);
  await authorizeChangeOnRecord(context, careTeamWrite(patientId, rpps), async (trx) => {
    if (!granted) return removeRole(trx, patientId, rpps, role);
    if (role === 'MEDECIN_TRAITANT') {
      const current = await findRoleHolder(trx, patientId, role);
      if (current !== undefined && current !== rpps) {
        throw new CarnetError(
          'conflict',
          409,
          `RPPS ${current} is already the treating doctor of this space: remove that role before naming another.`,
          { field: 'role' },
        );
      }
    }
    await addRole(trx, patientId, rpps, role, nowOf(context));
  });
}

/** Withdraws the professional's consent declaration: they read nothing more until they declare it again. */
export async function withdrawConsent(context: AccessContext, patientId: string, rpps: string): Promise<void> {
  checkRpps(rpps);
  await authorizeChangeOnRecord(context, careTeamWrite(patientId, rpps), (trx) => deleteConsentDeclaration(trx, patientId, rpps));
}

const emergencySettings = (patientId: string) => ({ type: 'EmergencyAccessSettings', id: patientId });

export async function readEmergencySettings(context: AccessContext, patientId: string): Promise<EmergencySwitches> {
  await authorizeOnRecord(context, { patientId, action: 'care-team.read', resource: emergencySettings(patientId) });
  return (await findEmergencySwitches(context.db, patientId)) ?? DEFAULT_EMERGENCY_SWITCHES;
}

export async function writeEmergencySettings(
  context: AccessContext,
  patientId: string,
  switches: EmergencySwitches,
): Promise<EmergencySwitches> {
  await authorizeChangeOnRecord(context, { patientId, action: 'care-team.write', resource: emergencySettings(patientId) }, (trx) =>
    saveEmergencySwitches(trx, patientId, switches, nowOf(context)),
  );
  return switches;
}

const careTeamWrite = (patientId: string, rpps: string) => ({
  patientId,
  action: 'care-team.write' as const,
  resource: { type: 'Practitioner', id: `rpps:${rpps}` },
});

/**
 * The directory entry of an RPPS: a number with a wrong key is refused (400), an unknown one
 * answers 404. The directory is public information: this reveals nothing of the patient. Only what
 * grants something (a block, a role) needs the entry: taking back a block, a role or a consent
 * must work for a professional who has since left the directory.
 */
async function directoryEntry(context: AccessContext, rpps: string): Promise<DirectoryProfessional> {
  checkRpps(rpps);
  const professional = await findProfessionalByRpps(context.db, rpps);
  if (professional === undefined) throw notFound(`No professional with RPPS ${rpps} in the directory. Check the number on their card or prescription.`);
  return professional;
}

function checkRpps(rpps: string): void {
  if (!isValidRpps(rpps)) throw badRequest(`${rpps} is not an RPPS number: 11 digits whose last is a Luhn check digit.`, 'rpps');
}

const professionName = (p: DirectoryProfessional) => professionOf(p.professionCode)?.display ?? `profession ${p.professionCode}`;

function memberOf(row: RelationshipRow): CareTeamMember {
  const p = row.professional;
  return {
    rpps: row.rpps,
    name: p === null ? null : { family: p.familyName, given: p.givenName },
    profession: p === null ? null : { code: p.professionCode, display: professionOf(p.professionCode)?.display ?? null },
    specialtyCode: p?.specialtyCode ?? null,
    blocked: row.blockedAt !== null,
    roles: row.roles,
    consentDeclaredAt: row.consentDeclaredAt?.toISOString() ?? null,
    lastEmergencyAccess:
      row.lastEmergencyAccess === null
        ? null
        : {
            mode: row.lastEmergencyAccess.mode,
            startedAt: row.lastEmergencyAccess.startedAt.toISOString(),
            expiresAt: row.lastEmergencyAccess.expiresAt.toISOString(),
          },
  };
}
