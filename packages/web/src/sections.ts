import type { Messages } from './i18n/fr.ts';

export type SectionKey = keyof Messages['sections'];

/** The sections of a patient's space, in menu order, with their French paths. */
export const SECTIONS: readonly { key: SectionKey; path: string; icon: string }[] = [
  { key: 'documents', path: '/documents', icon: 'fr-icon-file-text-line' },
  { key: 'profile', path: '/profil', icon: 'fr-icon-heart-pulse-line' },
  { key: 'messages', path: '/messagerie', icon: 'fr-icon-mail-line' },
  { key: 'agenda', path: '/agenda', icon: 'fr-icon-calendar-line' },
  { key: 'catalogue', path: '/catalogue', icon: 'fr-icon-apps-line' },
  { key: 'settings', path: '/parametres', icon: 'fr-icon-settings-5-line' },
];
