import type { Messages } from './fr.ts';

export const en: Messages = {
  skipToContent: 'Content',
  skipToMenu: 'Menu',
  skipToFooter: 'Footer',
  serviceTagline: 'Your personal health space',
  homeLinkTitle: 'Home — Carnet',
  brandTop: 'RÉPUBLIQUE\nFRANÇAISE',
  switchLanguage: 'Français',
  switchLanguageLang: 'fr',
  sections: {
    documents: 'Documents',
    profile: 'Medical profile',
    messages: 'Messages',
    agenda: 'Agenda',
    catalogue: 'Catalogue',
    settings: 'Settings',
  },
  sectionIntro: {
    documents: 'Your reports, prescriptions, lab and imaging results, filed by your carers or by you.',
    profile: 'Your allergies, history, treatments, measurements and vaccinations.',
    messages: 'Secure messages exchanged with your health professionals.',
    agenda: 'Your appointments, exams, and vaccination and screening reminders.',
    catalogue: 'Referenced health services and apps you can connect to your space.',
    settings: 'Who sees what, your relatives, your notifications and your account.',
  },
  sectionInProgress: 'This section is being built: it will be available in a coming version of Carnet.',
  home: {
    title: 'Welcome to Carnet',
    lead:
      'Carnet is your personal, secure health space: your medical documents, your medical profile, ' +
      'your messages with your carers, your health agenda and a catalogue of health apps, in one place.',
    control: 'You decide who sees what: every access to your data is checked and recorded in your history.',
    sectionsTitle: 'Your space',
  },
  notFound: {
    title: 'Page not found',
    body: 'The page you are looking for does not exist or has moved.',
    back: 'Back to home',
  },
  footer: {
    license: 'Carnet’s source code is published under the MIT licence.',
    description:
      'Carnet is an open-source personal health space. It exchanges with health professionals’ software ' +
      'through FHIR R4, IHE MHD, SMART on FHIR, OpenID Connect and SMTP.',
  },
};
