import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useEffect, useState } from 'react';
import { FormError } from '../../components/FormError.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../router.tsx';
import { afterLogin, nextLoginStep } from '../../session/login-return.ts';
import { useSession } from '../../session/session.tsx';
import { CodeForm } from './CodeForm.tsx';
import { LoginExpired } from './LoginExpired.tsx';
import { useLoginStep } from './use-login-step.ts';

/** Second step of a login: the authenticator app's code, or a code sent by e-mail. */
export function SecondFactorPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const step = useLoginStep();
  const [emailSent, setEmailSent] = useState(false);

  useEffect(() => {
    if (me?.stage === 'full') navigate(afterLogin(me.kind));
    if (me?.stage === 'second-factor' && me.methods?.length === 0) navigate(nextLoginStep('/connexion/double-authentification'));
  }, [me]);

  if (me === undefined) return null;
  if (me === null || me.stage !== 'second-factor') return <LoginExpired title={t.auth.secondFactorTitle} error={step.error} />;
  const methods = me.methods ?? [];

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1 tabIndex={-1}>{t.auth.secondFactorTitle}</h1>
        <p className="fr-text--lead">{t.auth.secondFactorLead}</p>
        <FormError message={step.error} />
        {methods.includes('totp') && (
          <CodeForm
            id="totp-code"
            label={t.auth.totpLabel}
            hint={t.auth.totpHint}
            submitLabel={t.auth.confirm}
            busy={step.busy}
            onSubmit={(code) => void step.run('/api/auth/totp', { code })}
          />
        )}
        {methods.includes('email') && (
          <section className="fr-mt-4w">
            <h2 className="fr-h5">{t.auth.emailCodeTitle}</h2>
            {emailSent && <Alert severity="info" small role="status" description={t.auth.emailCodeSent} className="fr-mb-3w" />}
            {emailSent && (
              <CodeForm
                id="email-code"
                label={t.auth.emailCodeLabel}
                submitLabel={t.auth.confirm}
                busy={step.busy}
                onSubmit={(code) => void step.run('/api/auth/email-code/verify', { code })}
              />
            )}
            <Button
              className="fr-mt-2w"
              priority={emailSent ? 'tertiary' : 'secondary'}
              disabled={step.busy}
              onClick={() => void step.run('/api/auth/email-code').then((res) => res !== undefined && setEmailSent(true))}
            >
              {emailSent ? t.auth.sendAnotherEmailCode : t.auth.sendEmailCode}
            </Button>
          </section>
        )}
      </div>
    </div>
  );
}
