import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { ToggleSwitch } from '@codegouvfr/react-dsfr/ToggleSwitch';
import { useState } from 'react';
import { changeDocument, type DocumentSummary } from '../../api/documents.ts';
import { errorText } from '../../api/error-text.ts';
import { useT } from '../../i18n/i18n.tsx';

/**
 * Masks the document from professionals, or shows it again, and says who still sees a masked
 * document: its author, the treating doctor and the administrators (CSP R.1111-38, R.1111-42).
 */
export function ConfidentialityToggle(props: { patientId: string; document: DocumentSummary; onChanged(document: DocumentSummary): void }) {
  const t = useT();
  const c = t.documents.confidentiality;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const { document } = props;
  return (
    <section className="fr-mb-4w" aria-labelledby="document-confidentiality-title">
      <h2 id="document-confidentiality-title" className="fr-h4">
        {c.title}
      </h2>
      <ToggleSwitch
        label={c.toggle}
        helperText={document.masked ? c.maskedHelp : c.visibleHelp}
        checked={document.masked}
        disabled={busy}
        showCheckedHint={false}
        onChange={(masked) => {
          setBusy(true);
          setError(undefined);
          setMessage(undefined);
          changeDocument(props.patientId, document.id, { masked })
            .then((changed) => {
              props.onChanged(changed);
              setMessage(changed.masked ? c.masked : c.unmasked);
            })
            .catch((caught: unknown) => setError(errorText(t, caught)))
            .finally(() => setBusy(false));
        }}
      />
      <p role="status" className="fr-text--sm fr-mt-1w">
        {message}
      </p>
      {error !== undefined && <Alert severity="error" small role="alert" description={error} />}
    </section>
  );
}
