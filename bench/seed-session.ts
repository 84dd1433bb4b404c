import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import pg from 'pg';

export interface LoggedInPatient {
  patientId: string;
  /** The Cookie header of the holder's session. */
  cookie: string;
}

/**
 * `count` patients' spaces with their holders logged in, written straight into the bench
 * database: each space, the account that holds it and a complete session (as after password and
 * second factor). The token is stored as its SHA-256, as Carnet stores every session token
 * (packages/server/src/sessions/token.ts).
 */
export async function seedLoggedInPatients(databaseUrl: string, count: number): Promise<LoggedInPatient[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const seeded: LoggedInPatient[] = [];
    for (let i = 0; i < count; i++) seeded.push(await seedOne(client));
    return seeded;
  } finally {
    await client.end();
  }
}

async function seedOne(client: pg.Client): Promise<LoggedInPatient> {
  const patientId = randomUUID();
  const accountId = randomUUID();
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await client.query('begin');
  try {
    await client.query(
      `insert into patient (patient_id, birth_family_name, first_names, birth_date, sex, birthplace_code, ins_matricule, ins_oid)
       values ($1, 'BENCH', 'ALIX', '1990-01-01', 'F', '75056', $2, '1.2.250.1.213.1.4.10')`,
      [patientId, `2${String(randomInt(0, 10 ** 14)).padStart(14, '0')}`],
    );
    await client.query(
      `insert into account (account_id, kind, email, display_name) values ($1, 'patient', $2, 'Alix Bench')`,
      [accountId, `bench.${accountId}@exemple.test`],
    );
    await client.query('insert into patient_holder (patient_id, account_id) values ($1, $2)', [patientId, accountId]);
    await client.query(
      `insert into account_session (session_id, token_hash, account_id, stage, csrf_token, auth_methods, created_at, last_seen_at, expires_at)
       values ($1, $2, $3, 'full', $4, '{pwd,otp}', $5, $5, $6)`,
      [randomUUID(), createHash('sha256').update(token, 'utf8').digest(), accountId, randomBytes(32).toString('base64url'), now, new Date(now.getTime() + 3_600_000)],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
  // The cookie's name on a plain-http base URL (packages/server/src/sessions/session-cookie.ts).
  return { patientId, cookie: `carnet_session=${token}` };
}
