import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { ToggleSwitch } from '@codegouvfr/react-dsfr/ToggleSwitch';
import { useCallback, useEffect, useState } from 'react';
import { type EmergencySwitches, fetchEmergencySwitches, saveEmergencySwitches } from '../../api/care-team.ts';
import { errorText } from '../../api/error-text.ts';
import { SettingsSubpage } from '../../components/SettingsSubpage.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { Link } from '../../router.tsx';
import { CARE_TEAM_PATH } from '../../sections.ts';

const SWITCHES = ['samuRegulation', 'breakTheGlass', 'maskedInEmergency'] as const satisfies readonly (keyof EmergencySwitches)[];

/** Paramètres → Accès en cas d'urgence: the patient's three emergency switches (MES ETREAT, BTG, MASKED). */
export function EmergencyAccessPage() {
  const t = useT();
  return (
    <SettingsSubpage title={t.emergencyAccess.title} intro={t.emergencyAccess.lead}>
      {(patientId) => <EmergencySettings patientId={patientId} />}
    </SettingsSubpage>
  );
}

function EmergencySettings({ patientId }: { patientId: string }) {
  const t = useT();
  const e = t.emergencyAccess;
  const [switches, setSwitches] = useState<EmergencySwitches | undefined>();
  const [loadError, setLoadError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const load = useCallback(() => {
    setLoadError(undefined);
    fetchEmergencySwitches(patientId).then(setSwitches, setLoadError);
  }, [patientId]);
  useEffect(load, [load]);

  function save(key: keyof EmergencySwitches, permitted: boolean) {
    // The switch keeps focus while saving (a disabled one would lose it): a second change waits.
    if (switches === undefined || saving) return;
    setSaving(true);
    setSaved(false);
    setError(undefined);
    saveEmergencySwitches(patientId, { ...switches, [key]: permitted ? 'permit' : 'deny' })
      .then((next) => {
        setSwitches(next);
        setSaved(true);
      })
      .catch((caught: unknown) => setError(errorText(t, caught)))
      .finally(() => setSaving(false));
  }

  return (
    <>
      {/* A note always there, not news: no live region. */}
      <Alert severity="info" small role={undefined} description={e.blockedNote} className="fr-mb-4w" />
      <section className="fr-mb-4w" aria-labelledby="emergency-switches-title">
        <h2 id="emergency-switches-title" className="fr-h4">
          {e.switchesTitle}
        </h2>
        {switches === undefined && loadError === undefined && <p>{e.loading}</p>}
        {loadError !== undefined && (
          <div className="fr-mb-3w">
            <Alert severity="error" small role="alert" description={errorText(t, loadError)} />
            <Button className="fr-mt-2w" priority="secondary" onClick={load}>
              {e.retry}
            </Button>
          </div>
        )}
        {switches !== undefined && (
          <ul className="fr-toggle__list">
            {SWITCHES.map((key) => (
              <li key={key}>
                <ToggleSwitch
                  label={e.switches[key].label}
                  helperText={e.switches[key].help}
                  checked={switches[key] === 'permit'}
                  onChange={(permitted) => save(key, permitted)}
                />
              </li>
            ))}
          </ul>
        )}
        <p role="status" className="fr-text--sm fr-mt-1w">
          {saved ? e.saved : ''}
        </p>
        {error !== undefined && <Alert severity="error" small role="alert" description={error} />}
      </section>
      <p>
        <Link className="fr-link fr-icon-arrow-right-line fr-link--icon-right" href={CARE_TEAM_PATH}>
          {e.careTeamLink}
        </Link>
      </p>
    </>
  );
}
