import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { EmergencyAccessSettingTable, EmergencyAccessTable, ProfessionalRoleTable } from './care-team.table.ts';

type Db = Kysely<Database>;
type CareRole = ProfessionalRoleTable['role'];
type EmergencyMode = EmergencyAccessTable['mode'];
type Permission = EmergencyAccessSettingTable['samu_regulation'];

/** The holder's three emergency switches as stored. */
export interface StoredEmergencySwitches {
  samuRegulation: Permission;
  breakTheGlass: Permission;
  maskedInEmergency: Permission;
}

export interface DirectoryProfessional {
  rpps: string;
  familyName: string;
  givenName: string;
  professionCode: string;
  specialtyCode: string | null;
}

export async function findProfessionalByRpps(db: Db, rpps: string): Promise<DirectoryProfessional | undefined> {
  const row = await db
    .selectFrom('professional')
    .select(['rpps', 'family_name', 'given_name', 'profession_code', 'specialty_code'])
    .where('rpps', '=', rpps)
    .executeTakeFirst();
  return row === undefined ? undefined : directoryOf(row);
}

const directoryOf = (row: { rpps: string; family_name: string; given_name: string; profession_code: string; specialty_code: string | null }) => ({
  rpps: row.rpps,
  familyName: row.family_name,
  givenName: row.given_name,
  professionCode: row.profession_code,
  specialtyCode: row.specialty_code,
});

/** What the patient decided about one professional, and the professional's own declarations. */
export interface RelationshipRow {
  rpps: string;
  blockedAt: Date | null;
  roles: CareRole[];
  consentDeclaredAt: Date | null;
  /** The professional's latest emergency access, in force or not. */
  lastEmergencyAccess: { mode: EmergencyMode; startedAt: Date; expiresAt: Date } | null;
  professional: DirectoryProfessional | null;
}

/** Every professional the space has a relationship with (blocked, given a role, consented, emergency). */
export async function listRelationships(db: Db, patientId: string): Promise<RelationshipRow[]> {
  const [blocks, roles, consents, emergencies] = await Promise.all([
    db.selectFrom('professional_block').select(['rpps', 'blocked_at']).where('patient_id', '=', patientId).execute(),
    db.selectFrom('professional_role').select(['rpps', 'role']).where('patient_id', '=', patientId).orderBy('role').execute(),
    db.selectFrom('consent_declaration').select(['rpps', 'declared_at']).where('patient_id', '=', patientId).execute(),
    db
      .selectFrom('emergency_access')
      .select(['rpps', 'mode', 'started_at', 'expires_at'])
      .where('patient_id', '=', patientId)
      .orderBy('started_at', 'desc')
      .execute(),
  ]);
  const byRpps = new Map<string, RelationshipRow>();
  const entry = (rpps: string) => {
    let row = byRpps.get(rpps);
    if (row === undefined) {
      row = { rpps, blockedAt: null, roles: [], consentDeclaredAt: null, lastEmergencyAccess: null, professional: null };
      byRpps.set(rpps, row);
    }
    return row;
  };
  for (const b of blocks) entry(b.rpps).blockedAt = new Date(b.blocked_at);
  for (const r of roles) entry(r.rpps).roles.push(r.role);
  for (const c of consents) entry(c.rpps).consentDeclaredAt = new Date(c.declared_at);
  for (const e of emergencies) {
    const row = entry(e.rpps);
    row.lastEmergencyAccess ??= { mode: e.mode, startedAt: new Date(e.started_at), expiresAt: new Date(e.expires_at) };
  }
  if (byRpps.size > 0) {
    const directory = await db
      .selectFrom('professional')
      .select(['rpps', 'family_name', 'given_name', 'profession_code', 'specialty_code'])
      .where('rpps', 'in', [...byRpps.keys()])
      .execute();
    for (const p of directory) byRpps.get(p.rpps)!.professional = directoryOf(p);
  }
  return [...byRpps.values()].sort((a, b) => sortName(a).localeCompare(sortName(b), 'fr'));
}

const sortName = (row: RelationshipRow) =>
  row.professional === null ? `~${row.rpps}` : `${row.professional.familyName} ${row.professional.givenName} ${row.rpps}`;

export async function blockProfessional(db: Db, patientId: string, rpps: string, now: Date): Promise<void> {
  await db
    .insertInto('professional_block')
    .values({ patient_id: patientId, rpps, blocked_at: now })
    .onConflict((oc) => oc.columns(['patient_id', 'rpps']).doNothing())
    .execute();
}

export async function unblockProfessional(db: Db, patientId: string, rpps: string): Promise<void> {
  await db.deleteFrom('professional_block').where('patient_id', '=', patientId).where('rpps', '=', rpps).execute();
}

/** The professional who holds a role in the space (the treating doctor), if any. */
export async function findRoleHolder(db: Db, patientId: string, role: CareRole): Promise<string | undefined> {
  const row = await db
    .selectFrom('professional_role')
    .select('rpps')
    .where('patient_id', '=', patientId)
    .where('role', '=', role)
    .executeTakeFirst();
  return row?.rpps;
}

export async function addRole(db: Db, patientId: string, rpps: string, role: CareRole, now: Date): Promise<void> {
  await db
    .insertInto('professional_role')
    .values({ patient_id: patientId, rpps, role, declared_at: now })
    .onConflict((oc) => oc.columns(['patient_id', 'rpps', 'role']).doNothing())
    .execute();
}

export async function removeRole(db: Db, patientId: string, rpps: string, role: CareRole): Promise<void> {
  await db
    .deleteFrom('professional_role')
    .where('patient_id', '=', patientId)
    .where('rpps', '=', rpps)
    .where('role', '=', role)
    .execute();
}

/** Records (or renews) a professional's consent declaration. */
export async function saveConsentDeclaration(db: Db, patientId: string, rpps: string, now: Date): Promise<void> {
  await db
    .insertInto('consent_declaration')
    .values({ patient_id: patientId, rpps, declared_at: now })
    .onConflict((oc) => oc.columns(['patient_id', 'rpps']).doUpdateSet({ declared_at: now }))
    .execute();
}

export async function deleteConsentDeclaration(db: Db, patientId: string, rpps: string): Promise<void> {
  await db.deleteFrom('consent_declaration').where('patient_id', '=', patientId).where('rpps', '=', rpps).execute();
}

/** The holder's switches, or undefined when they never changed the defaults. */
export async function findEmergencySwitches(db: Db, patientId: string): Promise<StoredEmergencySwitches | undefined> {
  const row = await db
    .selectFrom('emergency_access_setting')
    .select(['samu_regulation', 'break_the_glass', 'masked_in_emergency'])
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return { samuRegulation: row.samu_regulation, breakTheGlass: row.break_the_glass, maskedInEmergency: row.masked_in_emergency };
}

export async function saveEmergencySwitches(db: Db, patientId: string, switches: StoredEmergencySwitches, now: Date): Promise<void> {
  const values = {
    samu_regulation: switches.samuRegulation,
    break_the_glass: switches.breakTheGlass,
    masked_in_emergency: switches.maskedInEmergency,
    updated_at: now,
  };
  await db
    .insertInto('emergency_access_setting')
    .values({ patient_id: patientId, ...values })
    .onConflict((oc) => oc.column('patient_id').doUpdateSet(values))
    .execute();
}

export async function insertEmergencyAccess(
  db: Db,
  access: { patientId: string; id: string; rpps: string; mode: EmergencyMode; reason: string | null; startedAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('emergency_access')
    .values({
      patient_id: access.patientId,
      emergency_access_id: access.id,
      rpps: access.rpps,
      mode: access.mode,
      reason: access.reason,
      started_at: access.startedAt,
      expires_at: access.expiresAt,
    })
    .execute();
}
