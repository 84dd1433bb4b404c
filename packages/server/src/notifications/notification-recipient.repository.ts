import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

export interface NotificationRecipient {
  email: string;
  /** The holder's choices; null: none made yet (the defaults apply). */
  notifyNewDocument: boolean | null;
  notifyProfessionalAccess: boolean | null;
}

/**
 * The personal address of the account holding the space, with the holder's notification choices.
 * Undefined when the space has no holder or the account is disabled: nobody to tell.
 */
export async function findNotificationRecipient(db: Kysely<Database>, patientId: string): Promise<NotificationRecipient | undefined> {
  const row = await db
    .selectFrom('patient_holder as h')
    .innerJoin('account as a', 'a.account_id', 'h.account_id')
    .leftJoin('patient_settings as s', 's.patient_id', 'h.patient_id')
    .select(['a.email', 's.notify_new_document', 's.notify_professional_access'])
    .where('h.patient_id', '=', patientId)
    .where('a.kind', '=', 'patient')
    .where('a.disabled_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    email: row.email,
    notifyNewDocument: row.notify_new_document,
    notifyProfessionalAccess: row.notify_professional_access,
  };
}
