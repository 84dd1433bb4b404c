import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  CARE_ROLES,
  type CareRole,
  type CareTeamMember,
  fetchCareTeam,
  setBlocked,
  setRole,
  withdrawConsent,
} from '../../api/care-team.ts';
import { errorText } from '../../api/error-text.ts';
import { FormError } from '../../components/FormError.tsx';
import { SettingsSubpage } from '../../components/SettingsSubpage.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { Link } from '../../router.tsx';
import { EMERGENCY_ACCESS_PATH } from '../../sections.ts';
import { AddByRppsForm, type RppsChoice } from './AddByRppsForm.tsx';
import { CareTeamMemberCard, type MemberActions } from './CareTeamMemberCard.tsx';
import { changeErrorText } from './change-error.ts';
import { ConfirmChange, type PendingChange } from './ConfirmChange.tsx';
import { fill, memberName } from './member-labels.ts';

/** Paramètres → Mes professionnels de santé: roles, blocks and consent declarations, professional by professional. */
export function CareTeamPage() {
  const t = useT();
  return (
    <SettingsSubpage title={t.careTeam.title} intro={t.careTeam.lead}>
      {(patientId) => <CareTeam patientId={patientId} />}
    </SettingsSubpage>
  );
}

function CareTeam({ patientId }: { patientId: string }) {
  const t = useT();
  const c = t.careTeam;
  const [members, setMembers] = useState<CareTeamMember[] | undefined>();
  const [loadError, setLoadError] = useState<unknown>();
  // Controls stay enabled while a change is saved (a disabled button loses focus): a second change waits.
  const busy = useRef(false);
  const listHeading = useRef<HTMLHeadingElement>(null);
  const [changed, setChanged] = useState(0);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();
  const [formCleared, setFormCleared] = useState(0);
  const [pending, setPending] = useState<PendingChange & { fromForm?: boolean }>();

  const load = useCallback(
    () =>
      fetchCareTeam(patientId).then(
        (list) => {
          setMembers(list);
          setLoadError(undefined);
          return list;
        },
        (caught: unknown) => {
          setLoadError(caught);
          return undefined;
        },
      ),
    [patientId],
  );
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    // A professional left with no relationship leaves the list, and the focused button with them:
    // focus goes to the list's heading rather than to the start of the page.
    if (changed > 0 && (document.activeElement === null || document.activeElement === document.body)) listHeading.current?.focus();
  }, [changed]);

  /**
   * Makes a change, reloads the list and announces the outcome; the message may name the
   * professional from the new list (one added by RPPS). Returns whether the change was made.
   */
  async function change(run: () => Promise<void>, done: (list: CareTeamMember[] | undefined) => string, failed: (caught: unknown) => void) {
    if (busy.current) return false;
    busy.current = true;
    setStatus('');
    setError(undefined);
    setFormError(undefined);
    try {
      await run();
    } catch (caught) {
      failed(caught);
      busy.current = false;
      return false;
    }
    const list = await load();
    setStatus(done(list));
    setChanged((n) => n + 1);
    busy.current = false;
    return true;
  }

  const nameIn = (list: CareTeamMember[] | undefined, rpps: string) => {
    const member = list?.find((m) => m.rpps === rpps);
    return member === undefined ? c.professionalWithRpps.replace('{rpps}', rpps) : memberName(c, member);
  };
  const roleMessage = (template: string, role: CareRole, name: string) => fill(template, { role: c.roles[role], name });

  const treatingDoctor = members?.find((m) => m.roles.includes('MEDECIN_TRAITANT'));
  const actions = (member: CareTeamMember): MemberActions => ({
    otherTreatingDoctor: treatingDoctor === undefined || treatingDoctor.rpps === member.rpps ? undefined : memberName(c, treatingDoctor),
    setRole: (m, role, granted) =>
      void change(
        () => setRole(patientId, m.rpps, role, granted),
        () => roleMessage(granted ? c.roleGranted : c.roleRemoved, role, memberName(c, m)),
        (caught) => setError(changeErrorText(t, caught, role)),
      ),
    askBlock: (m) => setPending({ kind: 'block', rpps: m.rpps, name: memberName(c, m) }),
    unblock: (m) =>
      void change(
        () => setBlocked(patientId, m.rpps, false),
        () => c.unblocked.replace('{name}', memberName(c, m)),
        (caught) => setError(changeErrorText(t, caught)),
      ),
    askWithdrawConsent: (m) => setPending({ kind: 'withdraw', rpps: m.rpps, name: memberName(c, m) }),
  });

  function confirm(confirmed: PendingChange & { fromForm?: boolean }) {
    const failed = (caught: unknown) => (confirmed.fromForm ? setFormError : setError)(changeErrorText(t, caught));
    if (confirmed.kind === 'block') {
      void change(
        () => setBlocked(patientId, confirmed.rpps, true),
        (list) => c.blocked.replace('{name}', nameIn(list, confirmed.rpps)),
        failed,
      ).then((done) => {
        if (done && confirmed.fromForm === true) setFormCleared((n) => n + 1);
      });
    } else {
      void change(
        () => withdrawConsent(patientId, confirmed.rpps),
        () => c.consentWithdrawn.replace('{name}', confirmed.name),
        failed,
      );
    }
  }

  async function submitByRpps(rpps: string, choice: RppsChoice): Promise<'done' | 'refused' | 'confirming'> {
    if (choice === 'block') {
      setFormError(undefined);
      setPending({ kind: 'block', rpps, name: nameIn(members, rpps), fromForm: true });
      return 'confirming';
    }
    const done = await change(
      () => setRole(patientId, rpps, choice, true),
      (list) => roleMessage(c.roleGranted, choice, nameIn(list, rpps)),
      (caught) => setFormError(changeErrorText(t, caught, choice)),
    );
    return done ? 'done' : 'refused';
  }

  return (
    <>
      <p>{c.consentRule}</p>
      <RoleGuide />
      <section className="fr-mb-6w" aria-labelledby="care-team-list-title">
        <h2 id="care-team-list-title" className="fr-h4" ref={listHeading} tabIndex={-1}>
          {c.listTitle}
        </h2>
        <p role="status" className="fr-mb-2w">
          {status}
        </p>
        <FormError message={error} />
        {members === undefined && loadError === undefined && <p>{c.loading}</p>}
        {loadError !== undefined && (
          <div className="fr-mb-3w">
            <Alert severity="error" small role="alert" description={errorText(t, loadError)} />
            <Button className="fr-mt-2w" priority="secondary" onClick={() => void load()}>
              {c.retry}
            </Button>
          </div>
        )}
        {members !== undefined && (
          <>
            <p>{members.length === 0 ? c.empty : members.length === 1 ? c.shownOne : c.shownMany.replace('{count}', String(members.length))}</p>
            <ul className="fr-raw-list fr-grid-row fr-grid-row--gutters">
              {members.map((member) => (
                <li key={member.rpps} className="fr-col-12 fr-col-lg-6">
                  <CareTeamMemberCard member={member} actions={actions(member)} />
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section className="fr-mb-6w">
        <AddByRppsForm error={formError} cleared={formCleared} onSubmit={submitByRpps} />
      </section>
      <p>
        <Link className="fr-link fr-icon-arrow-right-line fr-link--icon-right" href={EMERGENCY_ACCESS_PATH}>
          {c.emergencyLink}
        </Link>
      </p>
      <ConfirmChange pending={pending} onConfirm={confirm} />
    </>
  );
}

/** What each role lets the professional see, before the patient gives one. */
function RoleGuide() {
  const c = useT().careTeam;
  return (
    <section className="fr-mb-6w" aria-labelledby="care-team-roles-title">
      <h2 id="care-team-roles-title" className="fr-h4">
        {c.rolesTitle}
      </h2>
      <ul>
        {CARE_ROLES.map((role) => (
          <li key={role}>
            <strong>{c.roles[role]}</strong>
            {c.separator}
            {c.roleHelp[role]}
          </li>
        ))}
      </ul>
    </section>
  );
}
