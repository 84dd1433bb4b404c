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
    /**
     * E-mail when a professional accesses the space (at most one per professional and day).
     * Emergency accesses and declared consents are mailed whatever this says.
     */
    professionalAccess: boolean;
  };
  documents: {
    /**
     * Every new document is masked from professionals (MASQUE_PS) when filed: seen only by its
     * author, the treating doctor and the holder's administrators until the holder unmasks it.
     */
    maskNewDocuments: boolean;
  };
}

export const DEFAULT_SETTINGS: PatientSettings = {
  notifications: { newDocument: true, newMessage: true, reminders: true, professionalAccess: true },
  documents: { maskNewDocuments: false },
};

const settingsAccess = (patientId: string, action: 'settings.read' | 'settings.write') => ({
  patientId,
  action,
  resource: { type: 'PatientSettings', id: patientId },
});

export async function readSettings(context: AccessContext, patientId: string): Promise<PatientSettings> {
  await authorizeOnRecord(context, settingsAccess(patientId, 'settings.read'));
  const row = await findSettings(context.db, patientId);
  return settingsOf(row);
}

/**
 * Replaces the holder's choices; the change and its audit entry commit together. Without
 * `documents`, the document default stays as it is.
 */
export async function writeSettings(
  context: AccessContext & { clock: Clock },
  patientId: string,
  change: Omit<PatientSettings, 'documents'> & { documents?: PatientSettings['documents'] | undefined },
): Promise<PatientSettings> {
  return authorizeChangeOnRecord(context, settingsAccess(patientId, 'settings.write'), async (trx) => {
    const documents = change.documents ?? settingsOf(await findSettings(trx, patientId)).documents;
    const settings: PatientSettings = { notifications: change.notifications, documents };
    await saveSettings(
      trx,
      {
        patient_id: patientId,
        notify_new_document: settings.notifications.newDocument,
        notify_new_message: settings.notifications.newMessage,
        notify_reminders: settings.notifications.reminders,
        notify_professional_access: settings.notifications.professionalAccess,
        mask_new_documents: settings.documents.maskNewDocuments,
      },
      context.clock.now(),
    );
    return settings;
  });
}

const settingsOf = (row: PatientSettingsRow | undefined): PatientSettings =>
  row === undefined
    ? DEFAULT_SETTINGS
    : {
        notifications: {
          newDocument: row.notify_new_document,
          newMessage: row.notify_new_message,
          reminders: row.notify_reminders,
          professionalAccess: row.notify_professional_access,
        },
        documents: { maskNewDocuments: row.mask_new_documents },
      };
