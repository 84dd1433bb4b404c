import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { ToggleSwitch } from '@codegouvfr/react-dsfr/ToggleSwitch';
import { useEffect, useState } from 'react';
import { errorText } from '../../api/error-text.ts';
import { api } from '../../api/http.ts';
import { useT } from '../../i18n/i18n.tsx';

/** The part of GET/PUT /api/patients/:patientId/settings this switch reads and writes. */
interface Settings {
  notifications: Record<string, boolean>;
  documents: { maskNewDocuments: boolean };
}

/**
 * Paramètres → "Masquer par défaut les nouveaux documents": every document filed from now on is
 * masked from professionals (MES setAllDocumentsConfidentiality). Documents already there keep
 * their own setting.
 */
export function MaskByDefaultSetting({ patientId }: { patientId: string }) {
  const t = useT();
  const s = t.settingsDocuments;
  const [settings, setSettings] = useState<Settings | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const url = `/api/patients/${encodeURIComponent(patientId)}/settings`;

  useEffect(() => {
    api<Settings>(url)
      .then(setSettings)
      .catch((caught: unknown) => setError(errorText(t, caught)));
  }, [url, t]);

  return (
    <section className="fr-mb-4w" aria-labelledby="settings-documents-title">
      <h2 id="settings-documents-title" className="fr-h4">
        {s.title}
      </h2>
      {settings !== undefined && (
        <ToggleSwitch
          label={s.toggle}
          helperText={s.help}
          checked={settings.documents.maskNewDocuments}
          showCheckedHint={false}
          onChange={(maskNewDocuments) => {
            setSaved(false);
            setError(undefined);
            api<Settings>(url, { method: 'PUT', body: { notifications: settings.notifications, documents: { maskNewDocuments } } })
              .then((next) => {
                setSettings(next);
                setSaved(true);
              })
              .catch((caught: unknown) => setError(errorText(t, caught)));
          }}
        />
      )}
      <p role="status" className="fr-text--sm fr-mt-1w">
        {saved ? s.saved : ''}
      </p>
      {error !== undefined && <Alert severity="error" small role="alert" description={error} />}
    </section>
  );
}
