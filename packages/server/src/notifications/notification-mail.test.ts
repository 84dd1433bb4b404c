import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS, notificationMail } from './notification-mail.ts';

const BASE = 'https://carnet.example.fr';
const mail = (kind: (typeof NOTIFICATION_KINDS)[number]) => notificationMail(kind, 'alix@exemple.test', BASE);
const halves = (text: string) => {
  const [fr, en, ...rest] = text.split('\n---\n');
  expect(rest).toEqual([]);
  return { fr: fr!, en: en! };
};

describe('notification mail', () => {
  it('writes French first, then the same in English, to the holder', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const { to, subject, text } = mail(kind);
      expect(to).toBe('alix@exemple.test');
      expect(subject).toMatch(/^Carnet : .+ \/ .+$/);
      const { fr, en } = halves(text);
      expect(fr).toMatch(/^Bonjour,/);
      expect(en).toMatch(/^\s*Hello,/);
      expect(text).not.toMatch(/undefined|null|\$\{/);
    }
  });

  it('links to the page where the news is, in both languages, and to the notification settings', () => {
    const links = (text: string) => [...text.matchAll(/https:\/\/\S+/g)].map((m) => m[0]);
    const expected = {
      'new-document': `${BASE}/documents`,
      'professional-access': `${BASE}/parametres/historique`,
      'emergency-access': `${BASE}/parametres/historique`,
      'consent-declared': `${BASE}/parametres/historique`,
    };
    for (const kind of NOTIFICATION_KINDS) {
      const { fr, en } = halves(mail(kind).text);
      for (const half of [fr, en]) expect(links(half)).toEqual([expected[kind], `${BASE}/parametres`]);
    }
  });

  it('tells that professional accesses are grouped, one message per professional and day', () => {
    const { fr, en } = halves(mail('professional-access').text);
    expect(fr).toContain('au plus un message par jour pour chaque professionnel');
    expect(en).toContain('at most one message a day for each professional');
  });

  it('says which messages the holder may turn off, and which are always sent', () => {
    for (const kind of ['new-document', 'professional-access'] as const) {
      expect(mail(kind).text).toContain('Pour choisir les messages que vous recevez');
      expect(mail(kind).text).not.toContain('toujours envoyé');
    }
    for (const kind of ['emergency-access', 'consent-declared'] as const) {
      const { fr, en } = halves(mail(kind).text);
      expect(fr).toContain('Ce message vous est toujours envoyé, quels que soient vos choix de notifications');
      expect(en).toContain('This message is always sent, whatever your notification choices');
    }
  });

  it('differs by kind, so the holder can tell a document from an access without opening Carnet', () => {
    const subjects = new Set(NOTIFICATION_KINDS.map((kind) => mail(kind).subject));
    expect(subjects.size).toBe(NOTIFICATION_KINDS.length);
  });
});
