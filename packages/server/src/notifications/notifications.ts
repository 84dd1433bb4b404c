import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { JobHandlers } from '../jobs/job-worker.ts';
import { DEFAULT_SETTINGS } from '../settings/settings.service.ts';
import { NOTIFICATION_KINDS, type NotificationKind, notificationMail } from './notification-mail.ts';
import { findNotificationRecipient, type NotificationRecipient } from './notification-recipient.repository.ts';

export type { NotificationKind } from './notification-mail.ts';

/** The job kind that sends a notification to a patient. */
export const NOTIFICATION_JOB = 'notification';

/**
 * Asks for an e-mail to the holder of the patient's space, in the caller's transaction: nothing
 * is sent if that transaction rolls back. A second notification with the same `dedupeKey` (for
 * the same patient and kind) is dropped while the first is pending or was sent in the last days;
 * the key is stored as a digest, so it may name a professional or a document.
 */
export async function enqueueNotification(
  db: Kysely<Database>,
  notification: { patientId: string; kind: NotificationKind; dedupeKey?: string },
): Promise<void> {
  const { patientId, kind, dedupeKey } = notification;
  if (!isNotificationKind(kind)) throw new TypeError(`Unknown notification kind "${String(kind)}".`);
  await enqueueJob(db, {
    kind: NOTIFICATION_JOB,
    patientId,
    payload: { kind },
    ...(dedupeKey === undefined ? {} : { dedupeKey: `${kind}:${digest(dedupeKey)}` }),
  });
}

/**
 * The dedupe key that groups professional-access notifications: at most one per professional,
 * per patient (the queue's keys are per patient) and per day, the day as in Paris.
 */
export function professionalAccessDedupeKey(professionalId: string, at: Date): string {
  return `${professionalId}/${PARIS_DAY.format(at)}`;
}

const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The handler that sends notifications. Idempotent in what the holder sees: a send that is
 * repeated (a crash after the relay took the mail, before the job was marked done) carries the
 * same Message-ID, which mail systems collapse.
 */
export function notificationJobHandlers(deps: Pick<Deps, 'db' | 'mailer' | 'config'>): JobHandlers {
  const host = new URL(deps.config.baseUrl).hostname;
  return {
    async [NOTIFICATION_JOB](job) {
      const kind = job.payload.kind;
      if (job.patientId === undefined || !isNotificationKind(kind)) {
        throw new Error('The notification job names no patient or no known kind.');
      }
      const recipient = await findNotificationRecipient(deps.db, job.patientId);
      // No holder (yet), a disabled account, or a kind the holder turned off: nothing to send.
      if (recipient === undefined || !wanted(kind, recipient)) return;
      const mail = notificationMail(kind, recipient.email, deps.config.baseUrl);
      await deps.mailer.send({ ...mail, messageId: `<notification.${job.jobId}@${host}>` });
    },
  };
}

/** The holder's choice, for the kinds they may turn off; a space without settings has the defaults. */
function wanted(kind: NotificationKind, recipient: NotificationRecipient): boolean {
  const defaults = DEFAULT_SETTINGS.notifications;
  switch (kind) {
    case 'new-document':
      return recipient.notifyNewDocument ?? defaults.newDocument;
    case 'professional-access':
      return recipient.notifyProfessionalAccess ?? defaults.professionalAccess;
    case 'emergency-access':
    case 'consent-declared':
      // The patient's safety net against an access they did not expect: always sent.
      return true;
  }
}

const isNotificationKind = (value: unknown): value is NotificationKind =>
  (NOTIFICATION_KINDS as readonly unknown[]).includes(value);

const digest = (key: string) => createHash('sha256').update(key).digest('base64url');
