import { type Kysely, sql, type Transaction } from 'kysely';
import { namesUnknownMasterKey } from '../crypto/master-key-ids.ts';
import type { Database } from '../db/database.ts';
import type { AccountKind, AccountTable, SealedTotpSecret, TotpColumn } from './account.table.ts';

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

export async function setPendingTotpSecret(db: Db, accountId: string, pending: SealedTotpSecret): Promise<void> {
  await db
    .updateTable('account')
    .set({ totp_pending_secret: pending.sealed, totp_pending_secret_key_id: pending.masterKeyId })
    .where('account_id', '=', accountId)
    .execute();
}

/**
 * Makes the pending secret the account's TOTP secret (`secret`: the same secret sealed for its new
 * column), with the step its first code used; only while the pending secret is still `checked`,
 * the one the code was checked against.
 */
export async function confirmTotpSecret(
  db: Db,
  accountId: string,
  checked: Buffer,
  secret: SealedTotpSecret,
  step: number,
): Promise<boolean> {
  const result = await db
    .updateTable('account')
    .set({
      totp_secret: secret.sealed,
      totp_secret_key_id: secret.masterKeyId,
      totp_pending_secret: null,
      totp_pending_secret_key_id: null,
      totp_last_step: step,
    })
    .where('account_id', '=', accountId)
    .where('totp_pending_secret', '=', checked)
    .where('totp_secret', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface SealedTotpRow {
  accountId: string;
  sealed: Buffer;
}

const keyIdColumn = (column: TotpColumn) => `${column}_key_id` as const;

/** The next secrets in `column` sealed by `masterKeyId` after account `after`, in account order. */
export async function listTotpSecretsSealedBy(
  db: Db,
  column: TotpColumn,
  masterKeyId: string,
  after: string | undefined,
  limit: number,
): Promise<SealedTotpRow[]> {
  let query = db
    .selectFrom('account')
    .select((eb) => [eb.ref('account_id').as('accountId'), eb.ref(column).$notNull().as('sealed')])
    .where(keyIdColumn(column), '=', masterKeyId);
  if (after !== undefined) query = query.where('account_id', '>', after);
  return query.orderBy('account_id').limit(limit).execute();
}

/**
 * Replaces sealed secrets in one statement, only where the row still holds exactly the secret
 * that was read, sealed by `fromId`: a secret re-enrolled or re-sealed meanwhile is left alone.
 * Returns how many rows changed.
 */
export async function replaceSealedTotpSecrets(
  db: Db,
  column: TotpColumn,
  fromId: string,
  toId: string,
  rows: readonly { accountId: string; from: Buffer; to: Buffer }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const values = sql.join(rows.map((r) => sql`(${r.accountId}::uuid, ${r.from}::bytea, ${r.to}::bytea)`));
  const [value, keyId] = [sql.ref(`a.${column}`), sql.ref(`a.${keyIdColumn(column)}`)];
  const result = await sql`
    update account a
    set ${sql.ref(column)} = v.sealed_to, ${sql.ref(keyIdColumn(column))} = ${toId}
    from (values ${values}) as v (account_id, sealed_from, sealed_to)
    where a.account_id = v.account_id and ${value} = v.sealed_from and ${keyId} = ${fromId}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** How many secrets in `column` each master key sealed (by master key id). */
export async function countTotpSecretsByMasterKey(db: Db, column: TotpColumn): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('account')
    .select((eb) => [eb.ref(keyIdColumn(column)).$notNull().as('masterKeyId'), eb.fn.countAll<string>().as('count')])
    .where(keyIdColumn(column), 'is not', null)
    .groupBy(keyIdColumn(column))
    .execute();
  return new Map(rows.map((row) => [row.masterKeyId, Number(row.count)]));
}

/** A master key id sealing a secret in `column` that is not among `knownIds`, if any. */
export async function findUnknownTotpMasterKeyId(
  db: Db,
  column: TotpColumn,
  knownIds: readonly string[],
): Promise<string | undefined> {
  const row = await db
    .selectFrom('account')
    .select((eb) => eb.ref(keyIdColumn(column)).$notNull().as('masterKeyId'))
    .where(namesUnknownMasterKey(keyIdColumn(column), knownIds))
    .limit(1)
    .executeTakeFirst();
  return row?.masterKeyId;
}

/** The next secrets still in clear (stored before migration 0006) after account `after`. */
export async function listCleartextTotpSecrets(
  db: Db,
  after: string | undefined,
  limit: number,
): Promise<{ accountId: string; cleartext: string }[]> {
  let query = db
    .selectFrom('account')
    .select((eb) => [eb.ref('account_id').as('accountId'), eb.ref('totp_secret_cleartext').$notNull().as('cleartext')])
    .where('totp_secret_cleartext', 'is not', null);
  if (after !== undefined) query = query.where('account_id', '>', after);
  return query.orderBy('account_id').limit(limit).execute();
}

/** Replaces a secret in clear by its sealed form, unless another process did it first. */
export async function sealCleartextTotpSecret(
  db: Db,
  accountId: string,
  cleartext: string,
  secret: SealedTotpSecret,
): Promise<boolean> {
  const result = await db
    .updateTable('account')
    .set({ totp_secret: secret.sealed, totp_secret_key_id: secret.masterKeyId, totp_secret_cleartext: null })
    .where('account_id', '=', accountId)
    .where('totp_secret_cleartext', '=', cleartext)
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
