import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { type FormEvent, useState } from 'react';
import { errorText } from '../../api/error-text.ts';
import { api } from '../../api/http.ts';
import { FormError } from '../../components/FormError.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router.tsx';
import { LOGIN_PATH } from '../../session/session.tsx';

/**
 * The reset link's page. Its token is in the fragment (#jeton=…), which browsers never send to a
 * server or put in a Referer; it is read once and removed from the address bar and history.
 */
function takeTokenFromFragment(): string | undefined {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('jeton') ?? undefined;
  if (window.location.hash !== '') window.history.replaceState(null, '', window.location.pathname);
  return token;
}

export function NewPasswordPage() {
  const { t } = useI18n();
  const [token] = useState(takeTokenFromFragment);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | undefined>(token === undefined ? t.auth.resetLinkMissing : undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (token === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      await api('/api/auth/password-reset/confirm', { method: 'POST', body: { token, newPassword: password } });
      setDone(true);
    } catch (caught) {
      setError(errorText(t, caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1 tabIndex={-1}>{t.auth.newPasswordTitle}</h1>
        <FormError message={error} />
        {done ? (
          <>
            <Alert severity="success" small role="status" description={t.auth.passwordChanged} />
            <ul className="fr-mt-3w">
              {(Object.keys(LOGIN_PATH) as (keyof typeof LOGIN_PATH)[]).map((kind) => (
                <li key={kind}>
                  <Link href={LOGIN_PATH[kind]}>{t.auth.loginAs[kind]}</Link>
                </li>
              ))}
            </ul>
          </>
        ) : (
          token !== undefined && (
            <form onSubmit={submit} noValidate>
              <PasswordInput
                label={t.auth.newPassword}
                hintText={t.auth.newPasswordHint}
                messagesHint=""
                nativeInputProps={{
                  name: 'new-password',
                  autoComplete: 'new-password',
                  required: true,
                  value: password,
                  onChange: (e) => setPassword(e.target.value),
                }}
              />
              <Button type="submit" disabled={busy}>
                {t.auth.saveNewPassword}
              </Button>
            </form>
          )
        )}
      </div>
    </div>
  );
}
