import type { Messages } from './i18n/fr.ts';

export type SectionKey = keyof Messages['sections'];

/** The sections of a patient's space, in menu order, with their French paths. */
export const SECTIONS: readonly { key: SectionKey; path: string }[] = [
  { key: 'documents', path: '/documents' },
  { key: 'profile', path: '/profil' },
  { key: 'messages', path: '/messagerie' },
  { key: 'agenda', path: '/agenda' },
  { key: 'catalogue', path: '/catalogue' },
  { key: 'settings', path: '/parametres' },
];

export const ACCESS_HISTORY_PATH = '/parametres/historique';
export const CARE_TEAM_PATH = '/parametres/professionnels';
export const EMERGENCY_ACCESS_PATH = '/parametres/urgence';

/** The pages of a patient's own space: only a patient logged in to it sees them. */
export const PATIENT_PATHS: readonly string[] = [
  ...SECTIONS.map((s) => s.path),
  ACCESS_HISTORY_PATH,
  CARE_TEAM_PATH,
  EMERGENCY_ACCESS_PATH,
];
