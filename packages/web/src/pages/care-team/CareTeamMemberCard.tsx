import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { CARE_ROLES, type CareRole, type CareTeamMember, ROLE_PROFESSION } from '../../api/care-team.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { dateTimeLabel, fill, memberName, professionLabel } from './member-labels.ts';

/** What the card asks of the page; a change asked while another is saved is ignored. */
export interface MemberActions {
  /** The name of the space's treating doctor when it is someone else, who must lose the role first. */
  otherTreatingDoctor: string | undefined;
  setRole(member: CareTeamMember, role: CareRole, granted: boolean): void;
  askBlock(member: CareTeamMember): void;
  unblock(member: CareTeamMember): void;
  askWithdrawConsent(member: CareTeamMember): void;
}

/** The roles this professional may hold: those reserved to a profession need that profession; roles held stay listed. */
const rolesFor = (member: CareTeamMember) =>
  CARE_ROLES.filter((role) => {
    const profession = ROLE_PROFESSION[role];
    return member.roles.includes(role) || profession === undefined || profession === member.profession?.code;
  });

/** One professional: who they are, what the patient decided about them, and what they declared. */
export function CareTeamMemberCard({ member, actions }: { member: CareTeamMember; actions: MemberActions }) {
  const { t, lang } = useI18n();
  const c = t.careTeam;
  const name = memberName(c, member);
  const profession = professionLabel(c, member);
  const headingId = `professional-${member.rpps}`;
  const emergency = member.lastEmergencyAccess;
  const fact = (label: string, value: string) => `${label}${c.separator}${value}`;
  return (
    <article className="fr-card fr-card--no-arrow" aria-labelledby={headingId} data-rpps={member.rpps}>
      <div className="fr-card__body">
        <div className="fr-card__content">
          <h3 id={headingId} className="fr-card__title">
            {name}
          </h3>
          <div className="fr-card__desc">
            <ul className="fr-raw-list">
              {profession !== undefined && <li>{fact(c.profession, profession)}</li>}
              <li>{fact(c.rpps, member.rpps)}</li>
              <li>
                {fact(
                  c.consent,
                  member.consentDeclaredAt === null
                    ? c.noConsent
                    : c.consentDeclaredOn.replace('{date}', dateTimeLabel(lang, member.consentDeclaredAt)),
                )}
              </li>
              {emergency !== null && (
                <li>
                  {fact(
                    c.lastEmergency,
                    fill(c.emergencyOn, {
                      mode: c.emergencyModes[emergency.mode] ?? emergency.mode,
                      date: dateTimeLabel(lang, emergency.startedAt),
                    }),
                  )}
                </li>
              )}
            </ul>
            {member.blocked && <p className="fr-mt-1w fr-mb-0 fr-text--sm">{c.blockedHelp}</p>}
          </div>
          {(member.blocked || member.roles.length > 0) && (
            <div className="fr-card__start">
              <ul className="fr-badges-group">
                {member.blocked && (
                  <li>
                    <Badge severity="error" small as="span">
                      {c.blockedBadge}
                    </Badge>
                  </li>
                )}
                {member.roles.map((role) => (
                  <li key={role}>
                    <Badge severity="info" small noIcon as="span">
                      {c.roles[role]}
                    </Badge>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
        <div className="fr-card__footer">
          <RoleChoices member={member} name={name} actions={actions} />
          <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-btns-group--icon-left">
            <li>
              {member.blocked ? (
                <Button priority="secondary" iconId="fr-icon-lock-unlock-line" onClick={() => actions.unblock(member)}>
                  {c.unblock}
                  <span className="fr-sr-only"> {name}</span>
                </Button>
              ) : (
                <Button
                  priority="secondary"
                  iconId="fr-icon-lock-line"
                 
                  onClick={() => actions.askBlock(member)}
                >
                  {c.block}
                  <span className="fr-sr-only"> {name}</span>
                </Button>
              )}
            </li>
            {member.consentDeclaredAt !== null && (
              <li>
                <Button
                  priority="tertiary"
                  iconId="fr-icon-close-circle-line"
                 
                  onClick={() => actions.askWithdrawConsent(member)}
                >
                  {c.withdrawConsent}
                  <span className="fr-sr-only"> {name}</span>
                </Button>
              </li>
            )}
          </ul>
        </div>
      </div>
    </article>
  );
}

/** A checkbox per role the professional may hold; each change is saved at once and announced. */
function RoleChoices({ member, name, actions }: { member: CareTeamMember; name: string; actions: MemberActions }) {
  const c = useI18n().t.careTeam;
  const roles = rolesFor(member);
  return (
    <Checkbox
      legend={c.rolesOf.replace('{name}', name)}
      small
     
      options={roles.map((role) => {
        const held = member.roles.includes(role);
        const taken = role === 'MEDECIN_TRAITANT' && !held && actions.otherTreatingDoctor !== undefined;
        return {
          label: c.roles[role],
          ...(taken ? { hintText: c.treatingDoctorTaken.replace('{name}', actions.otherTreatingDoctor!) } : {}),
          nativeInputProps: {
            checked: held,
            disabled: taken,
            onChange: (event) => actions.setRole(member, role, event.target.checked),
          },
        };
      })}
    />
  );
}
