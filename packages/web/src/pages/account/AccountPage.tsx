import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useEffect, useState } from 'react';
import { errorText, errorTextForCode } from '../../api/error-text.ts';
import { api } from '../../api/http.ts';
import { FormError } from '../../components/FormError.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link, navigate } from '../../router.tsx';
import { ACCESS_HISTORY_PATH } from '../../sections.ts';
import { useSession } from '../../session/session.tsx';
import { SessionsList } from './SessionsList.tsx';

/** Who is logged in, their sessions, linking a digital identity, logging out. */
export function AccountPage() {
  const { t } = useI18n();
  const { me, logout } = useSession();
  const params = new URLSearchParams(window.location.search);
  const [error, setError] = useState<string | undefined>(() => errorTextForCode(t, params.get('erreur')));
  const [providers, setProviders] = useState<string[]>([]);
  const linked = params.get('identite') === 'reliee';

  useEffect(() => {
    api<{ providers: { id: string }[] }>('/api/auth/providers')
      .then((res) => setProviders(res.providers.map((p) => p.id)))
      .catch(() => setProviders([]));
  }, []);

  if (me === undefined) return null;
  if (me === null || me.stage !== 'full') {
    return (
      <>
        <h1 tabIndex={-1}>{t.account.title}</h1>
        <Alert severity="info" small description={t.account.notLoggedIn} />
        <p className="fr-mt-3w">
          <Link className="fr-btn" href="/connexion">
            {t.auth.logIn}
          </Link>
        </p>
      </>
    );
  }

  const provider = me.kind === 'patient' ? 'patient' : me.kind === 'professional' ? 'pro' : undefined;
  async function link() {
    setError(undefined);
    try {
      const res = await api<{ authorizationUrl: string }>(`/api/auth/oidc/${provider}/link`, { method: 'POST' });
      window.location.assign(res.authorizationUrl);
    } catch (caught) {
      setError(errorText(t, caught));
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>{t.account.title}</h1>
      <FormError message={error} />
      {linked && <Alert severity="success" small role="status" description={t.account.linked} className="fr-mb-3w" />}
      <h2>{t.account.identity}</h2>
      <dl>
        <dt className="fr-text--bold">{t.account.name}</dt>
        <dd>{me.displayName}</dd>
        <dt className="fr-text--bold">{t.account.email}</dt>
        <dd>{me.email}</dd>
        <dt className="fr-text--bold">{t.account.kind}</dt>
        <dd>{t.auth.kinds[me.kind]}</dd>
        {me.professional !== undefined && (
          <>
            <dt className="fr-text--bold">{t.account.rpps}</dt>
            <dd>{me.professional.rpps}</dd>
            <dt className="fr-text--bold">{t.account.profession}</dt>
            <dd>{me.professional.professionCode}</dd>
          </>
        )}
      </dl>
      {me.kind === 'patient' && (
        <p>
          <Link href={ACCESS_HISTORY_PATH}>{t.account.accessHistoryLink}</Link>
        </p>
      )}
      <Button
        priority="secondary"
        iconId="fr-icon-logout-box-r-line"
        onClick={() => void logout().then(() => navigate('/connexion'))}
      >
        {t.auth.logOut}
      </Button>
      <SessionsList />
      {provider !== undefined && providers.includes(provider) && (
        <section className="fr-mt-6w">
          <h2>{t.account.linkTitle}</h2>
          <p>{t.account.linkLead}</p>
          <Button priority="secondary" onClick={() => void link()}>
            {provider === 'patient' ? t.account.linkPatient : t.account.linkPro}
          </Button>
        </section>
      )}
    </>
  );
}
