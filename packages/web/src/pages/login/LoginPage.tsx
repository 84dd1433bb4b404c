import { Button } from '@codegouvfr/react-dsfr/Button';
import { FranceConnectButton } from '@codegouvfr/react-dsfr/FranceConnectButton';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { type FormEvent, useEffect, useState } from 'react';
import { errorText, errorTextForCode } from '../../api/error-text.ts';
import { api } from '../../api/http.ts';
import { EmailField } from '../../components/EmailField.tsx';
import { FormError } from '../../components/FormError.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link, navigate } from '../../router.tsx';
import { nextLoginStep } from '../../session/login-return.ts';
import { type AccountKind, LOGIN_PATH, type SecondFactor, useSession } from '../../session/session.tsx';

/** The external identity provider of each kind of account, as /api/auth/providers names it. */
const PROVIDER_OF: Partial<Record<AccountKind, string>> = { patient: 'patient', professional: 'pro' };
const FORGOT_KIND: Record<AccountKind, string> = { patient: 'patient', professional: 'professionnel', operator: 'operateur' };

function useProviderAvailable(kind: AccountKind): boolean {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    const id = PROVIDER_OF[kind];
    if (id === undefined) return;
    api<{ providers: { id: string }[] }>('/api/auth/providers')
      .then((res) => setAvailable(res.providers.some((p) => p.id === id)))
      .catch(() => setAvailable(false));
  }, [kind]);
  return available;
}

/** Local login (e-mail + password), one page per kind of account, with its identity provider. */
export function LoginPage({ kind }: { kind: AccountKind }) {
  const { t } = useI18n();
  const { refresh } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(() =>
    errorTextForCode(t, new URLSearchParams(window.location.search).get('erreur')),
  );
  const providerAvailable = useProviderAvailable(kind);
  const provider = PROVIDER_OF[kind];

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await api<{ methods: SecondFactor[]; enrolment: boolean }>('/api/auth/login', {
        method: 'POST',
        body: { kind, email, password },
      });
      await refresh();
      navigate(nextLoginStep(res.enrolment ? '/connexion/double-authentification' : '/connexion/code'));
    } catch (caught) {
      setError(errorText(t, caught));
      setBusy(false);
    }
  }

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1 tabIndex={-1}>{t.auth.loginTitle[kind]}</h1>
        <p className="fr-text--lead">{t.auth.loginLead[kind]}</p>
        {providerAvailable && provider === 'patient' && (
          <>
            <FranceConnectButton url={`/api/auth/oidc/${provider}/start`} />
            <p className="fr-hr-or">{t.auth.or}</p>
          </>
        )}
        {providerAvailable && provider === 'pro' && (
          <>
            <Button linkProps={{ href: `/api/auth/oidc/${provider}/start`, target: '_self' }} priority="secondary">
              {t.auth.proSanteConnect}
            </Button>
            <p className="fr-hr-or">{t.auth.or}</p>
          </>
        )}
        <FormError message={error} />
        <form onSubmit={submit} noValidate>
          <EmailField value={email} onChange={setEmail} />
          <PasswordInput
            label={t.auth.password}
            messagesHint=""
            nativeInputProps={{
              name: 'password',
              autoComplete: 'current-password',
              required: true,
              value: password,
              onChange: (e) => setPassword(e.target.value),
            }}
          />
          <p>
            <Link href={`/mot-de-passe-oublie?profil=${FORGOT_KIND[kind]}`}>{t.auth.forgotPassword}</Link>
          </p>
          <Button type="submit" disabled={busy}>
            {t.auth.submitLogin}
          </Button>
        </form>
        <h2 className="fr-h6 fr-mt-6w">{t.auth.otherLogins}</h2>
        <ul>
          {(Object.keys(LOGIN_PATH) as AccountKind[])
            .filter((other) => other !== kind)
            .map((other) => (
              <li key={other}>
                <Link href={LOGIN_PATH[other]}>{t.auth.loginAs[other]}</Link>
              </li>
            ))}
        </ul>
      </div>
    </div>
  );
}
