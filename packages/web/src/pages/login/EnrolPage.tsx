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

interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  qrCode: string;
}

/** "ABCD EFGH …": a key easier to copy by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

/** First login of an account without a second factor: it enrols one (TOTP app or e-mail). */
export function EnrolPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const step = useLoginStep();
  const [choice, setChoice] = useState<'totp' | 'email' | undefined>();
  const [totp, setTotp] = useState<TotpEnrolment | undefined>();

  useEffect(() => {
    if (me?.stage === 'full') navigate(afterLogin(me.kind));
    if (me?.stage === 'second-factor' && (me.methods?.length ?? 0) > 0) navigate(nextLoginStep('/connexion/code'));
  }, [me]);

  if (me === undefined) return null;
  if (me === null || me.stage !== 'second-factor') return <LoginExpired title={t.auth.enrolTitle} error={step.error} />;

  async function chooseTotp() {
    setChoice('totp');
    const enrolment = await step.run<TotpEnrolment>('/api/auth/totp/enrolment');
    if (enrolment !== undefined) setTotp(enrolment);
  }

  async function chooseEmail() {
    setChoice('email');
    await step.run('/api/auth/email-code');
  }

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-10 fr-col-lg-8">
        <h1 tabIndex={-1}>{t.auth.enrolTitle}</h1>
        <p className="fr-text--lead">{t.auth.enrolLead}</p>
        <FormError message={step.error} />
        {choice === undefined && (
          <div className="fr-grid-row fr-grid-row--gutters">
            <section className="fr-col-12 fr-col-md-6">
              <h2 className="fr-h5">{t.auth.enrolTotpTitle}</h2>
              <p>{t.auth.enrolTotpDesc}</p>
              <Button onClick={() => void chooseTotp()} disabled={step.busy}>
                {t.auth.enrolTotpStart}
              </Button>
            </section>
            <section className="fr-col-12 fr-col-md-6">
              <h2 className="fr-h5">{t.auth.enrolEmailTitle}</h2>
              <p>{t.auth.enrolEmailDesc}</p>
              <Button priority="secondary" onClick={() => void chooseEmail()} disabled={step.busy}>
                {t.auth.enrolEmailStart}
              </Button>
            </section>
          </div>
        )}
        {choice === 'totp' && totp !== undefined && (
          <section>
            <h2 className="fr-h4">{t.auth.scanTitle}</h2>
            <img src={totp.qrCode} alt={t.auth.qrAlt} width={240} height={240} />
            <p className="fr-mt-2w">{t.auth.manualKey}</p>
            <p>
              <code className="fr-text--lg" data-testid="totp-secret">
                {grouped(totp.secret)}
              </code>
            </p>
            <CodeForm
              id="totp-enrol-code"
              label={t.auth.totpLabel}
              hint={t.auth.totpHint}
              submitLabel={t.auth.enrolConfirm}
              busy={step.busy}
              onSubmit={(code) => void step.run('/api/auth/totp/enrolment/confirm', { code })}
            />
          </section>
        )}
        {choice === 'email' && (
          <section>
            <Alert severity="info" small role="status" description={t.auth.emailCodeSent} className="fr-mb-3w" />
            <CodeForm
              id="email-enrol-code"
              label={t.auth.emailCodeLabel}
              submitLabel={t.auth.enrolConfirm}
              busy={step.busy}
              onSubmit={(code) => void step.run('/api/auth/email-code/verify', { code })}
            />
          </section>
        )}
      </div>
    </div>
  );
}
