import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { AccountKind, AccountTable } from './account.table.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type AccountRow = Omit<AccountTable, 'created_at' | 'email_otp_enabled'> & {
  created_at: Date;
  email_otp_enabled: boolean;
};

export async function findAccountByLogin(db: Db, kind: AccountKind, email: string): Promise<AccountRow | undefined> {
  return db.selectFrom('account').selectAll().where('kind', '=', kind).where('email', '=', email).executeTakeFirst();
}

export async function findAccount(db: Db, accountId: string): Promise<AccountRow | undefined> {
  return db.selectFrom('account').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

export async function insertAccount(
  db: Db,
  row: Pick<AccountRow, 'account_id' | 'kind' | 'email' | 'display_name' | 'professional_id' | 'password_hash'> & {
    password_changed_at: Date | null;
  },
): Promise<void> {
  await db.insertInto('account').values(row).execute();
}

export async function insertPatientHolder(db: Db, patientId: string, accountId: string): Promise<void> {
  await db.insertInto('patient_holder').values({ patient_id: patientId, account_id: accountId }).execute();
}

export async function setPassword(db: Db, accountId: string, passwordHash: string, now: Date): Promise<void> {
  await db
    .updateTable('account')
    .set({ password_hash: passwordHash, password_changed_at: now })
    .where('account_id', '=', accountId)
    .execute();
}

export async function setPendingTotpSecret(db: Db, accountId: string, secret: string): Promise<void> {
  await db.updateTable('account').set({ totp_pending_secret: secret }).where('account_id', '=', accountId).execute();
}

/** Makes the pending secret the account's TOTP secret, with the step its first code used. */
export async function confirmTotpSecret(db: Db, accountId: string, secret: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('account')
    .set({ totp_secret: secret, totp_pending_secret: null, totp_last_step: step })
    .where('account_id', '=', accountId)
    .where('totp_pending_secret', '=', secret)
    .where('totp_secret', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records that the code of `step` was used, unless that step or a later one was used already: one
 * atomic statement, so two requests racing with the same code cannot both pass (RFC 6238 §5.2).
 */
export async function useTotpStep(db: Db, accountId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('account')
    .set({ totp_last_step: step })
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function enableEmailOtp(db: Db, accountId: string): Promise<void> {
  await db.updateTable('account').set({ email_otp_enabled: true }).where('account_id', '=', accountId).execute();
}

/** Names, birth date and national identifiers a password must not contain. */
export async function findPersonalFacts(db: Db, account: AccountRow) {
  const patient = await db
    .selectFrom('patient_holder as h')
    .innerJoin('patient as p', 'p.patient_id', 'h.patient_id')
    .select(['p.birth_family_name', 'p.first_names', 'p.birth_date', 'p.ins_matricule'])
    .where('h.account_id', '=', account.account_id)
    .executeTakeFirst();
  const professional =
    account.professional_id === null
      ? undefined
      : await db
          .selectFrom('professional')
          .select(['family_name', 'given_name', 'rpps'])
          .where('professional_id', '=', account.professional_id)
          .executeTakeFirst();
  return { patient, professional };
}

export async function findAccountByIdentity(db: Db, issuer: string, subject: string) {
  return db
    .selectFrom('account_identity as i')
    .innerJoin('account as a', 'a.account_id', 'i.account_id')
    .select(['a.account_id', 'a.kind', 'a.disabled_at'])
    .where('i.issuer', '=', issuer)
    .where('i.subject', '=', subject)
    .executeTakeFirst();
}

/** Links (issuer, subject) to an account; false when that identity is linked already. */
export async function linkIdentity(
  db: Db,
  link: { issuer: string; subject: string; accountId: string; provider: string; now: Date },
): Promise<boolean> {
  const result = await db
    .insertInto('account_identity')
    .values({
      issuer: link.issuer,
      subject: link.subject,
      account_id: link.accountId,
      provider: link.provider,
      linked_at: link.now,
    })
    .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}
