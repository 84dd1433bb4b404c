import { Alert } from '@codegouvfr/react-dsfr/Alert';
import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { Link, usePathname } from '../router.tsx';
import { patientLoginHref } from '../session/login-return.ts';
import { useSession } from '../session/session.tsx';

/**
 * A page of a patient's own space, under its heading and introduction: the page itself for the
 * patient logged in, a way to log in for a visitor, and a notice for professionals and operators,
 * whose accounts open no patient's space.
 */
export function PatientOnly(props: { title: string; intro: string; children: (patientId: string) => ReactNode }) {
  const t = useT();
  const pathname = usePathname();
  const { me } = useSession();
  let content: ReactNode = null; // while the session loads
  if (me === null || me?.stage === 'second-factor') {
    content = (
      <>
        <p>{t.patientOnly.logInToSee}</p>
        <Link className="fr-btn" href={patientLoginHref(pathname)}>
          {t.auth.logIn}
        </Link>
      </>
    );
  } else if (me?.kind === 'patient' && me.patientId !== undefined) {
    content = props.children(me.patientId);
  } else if (me !== undefined) {
    content = (
      <>
        <Alert severity="info" small description={t.patientOnly.notForAccount[me.kind]} className="fr-mb-3w" />
        <Link className="fr-btn fr-btn--secondary" href="/compte">
          {t.auth.myAccount}
        </Link>
      </>
    );
  }
  return (
    <>
      <h1 tabIndex={-1}>{props.title}</h1>
      <p className="fr-text--lead">{props.intro}</p>
      {content}
    </>
  );
}
