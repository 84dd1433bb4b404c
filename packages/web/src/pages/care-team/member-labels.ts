import type { CareTeamMember } from '../../api/care-team.ts';
import type { Lang } from '../../i18n/i18n.tsx';
import type { Messages } from '../../i18n/fr.ts';

type Labels = Messages['careTeam'];

/** TRE_G15 code of the médecins: French usage names them "Dr". */
const DOCTOR = '10';

/** How the patient reads the professional's name: "Dr Claire BERNARD", "Sophie ROUX". */
export function memberName(t: Labels, member: CareTeamMember): string {
  if (member.name === null) return t.unknownProfessional;
  const name = `${member.name.given} ${member.name.family}`;
  return member.profession?.code === DOCTOR ? t.doctor.replace('{name}', name) : name;
}

/** The profession in the page's language; the directory's French label, else the code, for the others. */
export function professionLabel(t: Labels, member: CareTeamMember): string | undefined {
  const profession = member.profession;
  if (profession === null) return undefined;
  return t.professions[profession.code] ?? profession.display ?? t.otherProfession.replace('{code}', profession.code);
}

/** Date and time in Paris, wherever the browser is, as the access history shows them. */
export function dateTimeLabel(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(new Date(iso));
}

export const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
