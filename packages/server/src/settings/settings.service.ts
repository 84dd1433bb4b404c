import type { Clock } from '../clock.ts';
import { type AccessContext, authorizeChangeOnRecord, authorizeOnRecord } from '../patients/patient-access.ts';
import { findSettings, type PatientSettingsRow, saveSettings } from './settings.repository.ts';

/** What the holder chooses for their space. Delegation and visibility choices join it later. */
export interface PatientSettings {
  notifications: {
    /** E-mail when a professional files a document. */
    newDocument: boolean;
    /** E-mail when a professional writes in the secure messaging. */
    newMessage: boolean;
    /** E-mail for agenda and prevention reminders. */
    reminders: boolean;
  };
}

export const DEFAULT_SETTINGS: PatientSettings = {
  notifications: { newDocument: true, newMessage: true, reminders: true },
};

const settingsAccess = (patientId: string, action: 'settings.read' | 'settings.write') => ({
  patientId,
  action,
  resource: { type: 'PatientSettings', id: patientId },
});

export async function readSettings(context: AccessContext, patientId: string): Promise<PatientSettings> {
  await authorizeOnRecord(context, settingsAccess(patientId, 'settings.read'));
  const row = await findSettings(context.db, patientId);
  return row === undefined ? DEFAULT_SETTINGS : settingsOf(row);
}

/** Replaces the holder's choices; the change and its audit entry commit together. */
export async function writeSettings(
  context: AccessContext & { clock: Clock },
  patientId: string,
  settings: PatientSettings,
): Promise<PatientSettings> {
  await authorizeChangeOnRecord(context, settingsAccess(patientId, 'settings.write'), (trx) =>
    saveSettings(
      trx,
      {
        patient_id: patientId,
        notify_new_document: settings.notifications.newDocument,
        notify_new_message: settings.notifications.newMessage,
        notify_reminders: settings.notifications.reminders,
      },
      context.clock.now(),
    ),
  );
  return settings;
}

const settingsOf = (row: PatientSettingsRow): PatientSettings => ({
  notifications: {
    newDocument: row.notify_new_document,
    newMessage: row.notify_new_message,
    reminders: row.notify_reminders,
  },
});
