import type { OutgoingMail } from '../mail/mailer.ts';

export const NOTIFICATION_KINDS = ['new-document', 'professional-access', 'emergency-access', 'consent-declared'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Where each mail leads in the web app (packages/web/src/sections.ts). */
export const DOCUMENTS_PATH = '/documents';
export const ACCESS_HISTORY_PATH = '/parametres/historique';
export const SETTINGS_PATH = '/parametres';

interface Wording {
  subject: string;
  /** What happened, then where to see it. */
  lines: (link: string) => string[];
}

interface Template {
  path: string;
  /** False: sent whatever the holder chose, for their safety. */
  optional: boolean;
  fr: Wording;
  en: Wording;
}

/*
 * Security checklist M4: a notification carries no health data. The wording says that something
 * happened in the space and where to look, never what: no document title or type, no
 * professional's name, profession or organisation. The functions below take nothing else, so
 * nothing else can reach the mail.
 */
const TEMPLATES: Record<NotificationKind, Template> = {
  'new-document': {
    path: DOCUMENTS_PATH,
    optional: true,
    fr: {
      subject: 'du nouveau dans votre espace',
      lines: (link) => ['Un nouveau document a été ajouté à votre espace Carnet.', `Connectez-vous pour le voir : ${link}`],
    },
    en: {
      subject: 'something new in your space',
      lines: (link) => ['A new document was added to your Carnet space.', `Log in to see it: ${link}`],
    },
  },
  'professional-access': {
    path: ACCESS_HISTORY_PATH,
    optional: true,
    fr: {
      subject: 'un professionnel a accédé à votre espace',
      lines: (link) => [
        'Un professionnel a accédé à votre espace Carnet. Vous recevez au plus un message par jour pour chaque professionnel.',
        `Connectez-vous pour voir qui, quand et pourquoi, dans l’historique des accès : ${link}`,
      ],
    },
    en: {
      subject: 'a professional accessed your space',
      lines: (link) => [
        'A professional accessed your Carnet space. You get at most one message a day for each professional.',
        `Log in to see who, when and why, in the access history: ${link}`,
      ],
    },
  },
  'emergency-access': {
    path: ACCESS_HISTORY_PATH,
    optional: false,
    fr: {
      subject: 'accès d’urgence à votre espace',
      lines: (link) => [
        'Un professionnel a utilisé l’accès d’urgence pour ouvrir votre espace Carnet.',
        `Connectez-vous pour voir qui, quand et pourquoi, dans l’historique des accès : ${link}`,
      ],
    },
    en: {
      subject: 'emergency access to your space',
      lines: (link) => [
        'A professional used the emergency access to open your Carnet space.',
        `Log in to see who, when and why, in the access history: ${link}`,
      ],
    },
  },
  'consent-declared': {
    path: ACCESS_HISTORY_PATH,
    optional: false,
    fr: {
      subject: 'un professionnel a déclaré avoir votre accord',
      lines: (link) => [
        'Un professionnel a déclaré avoir recueilli votre accord pour accéder à votre espace Carnet.',
        `Connectez-vous pour voir qui, quand et pourquoi, dans l’historique des accès : ${link}`,
      ],
    },
    en: {
      subject: 'a professional declared your consent',
      lines: (link) => [
        'A professional declared that you agreed to let them access your Carnet space.',
        `Log in to see who, when and why, in the access history: ${link}`,
      ],
    },
  },
};

/** Whether the holder's choices may turn this kind off (emergency accesses and declared consents: never). */
export const isOptional = (kind: NotificationKind) => TEMPLATES[kind].optional;

/**
 * The mail for one notification, in French with the English version below (accounts have no
 * language of their own yet). `baseUrl` is Carnet's public address, for the links.
 */
export function notificationMail(kind: NotificationKind, to: string, baseUrl: string): OutgoingMail {
  const template = TEMPLATES[kind];
  const link = `${baseUrl}${template.path}`;
  const settings = `${baseUrl}${SETTINGS_PATH}`;
  const fr = [
    'Bonjour,',
    ...template.fr.lines(link),
    template.optional
      ? `Pour choisir les messages que vous recevez : ${settings}`
      : `Ce message vous est toujours envoyé, quels que soient vos choix de notifications : il protège votre espace. Vos choix : ${settings}`,
    'Par sécurité, Carnet ne met jamais d’information de santé dans ses e-mails. Ne répondez pas à ce message.',
  ];
  const en = [
    'Hello,',
    ...template.en.lines(link),
    template.optional
      ? `To choose which messages you receive: ${settings}`
      : `This message is always sent, whatever your notification choices: it protects your space. Your choices: ${settings}`,
    'For your safety, Carnet never puts health information in e-mail. Do not reply to this message.',
  ];
  return {
    to,
    subject: `Carnet : ${template.fr.subject} / ${template.en.subject}`,
    text: `${fr.join('\n\n')}\n\n---\n\n${en.join('\n\n')}\n`,
  };
}
