import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { EmergencyAccessTable, ProfessionalRoleTable } from './care-team.table.ts';

type Db = Kysely<Database>;

/** The status of a space and the holder's default for new documents; undefined: no such space. */
export async function findSpaceFacts(db: Db, patientId: string) {
  return db
    .selectFrom('patient as p')
    .leftJoin('patient_settings as ps', 'ps.patient_id', 'p.patient_id')
    .select(['p.status', 'ps.mask_new_documents'])
    .where('p.patient_id', '=', patientId)
    .executeTakeFirst();
}

/**
 * The same, with everything about one professional in that space, in one query (the hot path of
 * every professional's request): the holder's block, roles and emergency switches, the
 * professional's consent declaration and their emergency access in force at `now`.
 */
export async function findRelationshipFacts(db: Db, patientId: string, rpps: string, now: Date) {
  const row = await db
    .selectFrom('patient as p')
    .leftJoin('patient_settings as ps', 'ps.patient_id', 'p.patient_id')
    .leftJoin('emergency_access_setting as s', 's.patient_id', 'p.patient_id')
    .where('p.patient_id', '=', patientId)
    .select((eb) => [
      'p.status',
      'ps.mask_new_documents',
      's.samu_regulation',
      's.break_the_glass',
      's.masked_in_emergency',
      eb
        .exists(
          eb.selectFrom('professional_block as b').select(sql`1`.as('one')).where('b.patient_id', '=', patientId).where('b.rpps', '=', rpps),
        )
        .as('blocked'),
      eb
        .selectFrom('professional_role as r')
        .select(sql<RoleName[] | null>`array_agg(r.role order by r.role)`.as('roles'))
        .where('r.patient_id', '=', patientId)
        .where('r.rpps', '=', rpps)
        .as('roles'),
      eb
        .selectFrom('consent_declaration as c')
        .select('c.declared_at')
        .where('c.patient_id', '=', patientId)
        .where('c.rpps', '=', rpps)
        .as('consent_declared_at'),
      eb
        .selectFrom('emergency_access as e')
        .select(sql<string>`e.mode || ' ' || to_char(e.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.as('emergency'))
        .where('e.patient_id', '=', patientId)
        .where('e.rpps', '=', rpps)
        .where('e.expires_at', '>', now)
        .orderBy('e.expires_at', 'desc')
        .limit(1)
        .as('emergency'),
    ])
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return { ...row, emergency: emergencyOf(row.emergency) };
}

/** The emergency access in force, read from "<mode> <expiry ISO>" (one column keeps the query flat). */
function emergencyOf(value: string | null): { mode: EmergencyAccessTable['mode']; expiresAt: Date } | null {
  if (value === null) return null;
  const [mode, expiresAt] = value.split(' ') as [EmergencyAccessTable['mode'], string];
  return { mode, expiresAt: new Date(expiresAt) };
}

export type RoleName = ProfessionalRoleTable['role'];
