import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { type FormEvent, useState } from 'react';
import { errorText } from '../../api/error-text.ts';
import { api } from '../../api/http.ts';
import { EmailField } from '../../components/EmailField.tsx';
import { FormError } from '../../components/FormError.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { AccountKind } from '../../session/session.tsx';

const KIND_OF_PARAM: Record<string, AccountKind> = { patient: 'patient', professionnel: 'professional', operateur: 'operator' };

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const { t } = useI18n();
  const [kind, setKind] = useState<AccountKind>(
    () => KIND_OF_PARAM[new URLSearchParams(window.location.search).get('profil') ?? ''] ?? 'patient',
  );
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api('/api/auth/password-reset', { method: 'POST', body: { kind, email } });
      setSent(true);
    } catch (caught) {
      setError(errorText(t, caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1 tabIndex={-1}>{t.auth.forgotTitle}</h1>
        <p className="fr-text--lead">{t.auth.forgotLead}</p>
        <FormError message={error} />
        {sent ? (
          <Alert severity="success" small role="status" description={t.auth.resetSent} />
        ) : (
          <form onSubmit={submit} noValidate>
            <RadioButtons
              legend={t.auth.accountKind}
              name="kind"
              orientation="horizontal"
              options={(['patient', 'professional', 'operator'] as const).map((value) => ({
                label: t.auth.kinds[value],
                nativeInputProps: { value, checked: kind === value, onChange: () => setKind(value) },
              }))}
            />
            <EmailField value={email} onChange={setEmail} />
            <Button type="submit" disabled={busy}>
              {t.auth.sendResetLink}
            </Button>
          </form>
        )}
      </div>
    </div>
  );
}
