import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useI18n } from '../../i18n/i18n.tsx';
import { Link } from '../../router.tsx';
import { nextLoginStep } from '../../session/login-return.ts';

/** Shown on a login step when there is no login in progress (expired, or opened directly). */
export function LoginExpired({ title, error }: { title: string; error?: string | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      <Alert severity="warning" small role="alert" description={error ?? t.auth.sessionExpired} />
      <p className="fr-mt-3w">
        <Link className="fr-btn" href={nextLoginStep('/connexion')}>
          {t.auth.backToLogin}
        </Link>
      </p>
    </>
  );
}
