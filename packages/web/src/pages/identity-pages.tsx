import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { AccountPage } from './account/AccountPage.tsx';
import { EnrolPage } from './login/EnrolPage.tsx';
import { ForgotPasswordPage } from './login/ForgotPasswordPage.tsx';
import { LoginPage } from './login/LoginPage.tsx';
import { NewPasswordPage } from './login/NewPasswordPage.tsx';
import { SecondFactorPage } from './login/SecondFactorPage.tsx';

/** Login, second factor, password reset and account pages, by path; undefined for other paths. */
export function useIdentityPage(path: string): { title: string; element: ReactNode } | undefined {
  const t = useT();
  switch (path) {
    case '/connexion':
      return { title: t.auth.loginTitle.patient, element: <LoginPage key="patient" kind="patient" /> };
    case '/pro/connexion':
      return { title: t.auth.loginTitle.professional, element: <LoginPage key="professional" kind="professional" /> };
    case '/operateur/connexion':
      return { title: t.auth.loginTitle.operator, element: <LoginPage key="operator" kind="operator" /> };
    case '/connexion/code':
      return { title: t.auth.secondFactorTitle, element: <SecondFactorPage /> };
    case '/connexion/double-authentification':
      return { title: t.auth.enrolTitle, element: <EnrolPage /> };
    case '/mot-de-passe-oublie':
      return { title: t.auth.forgotTitle, element: <ForgotPasswordPage /> };
    case '/nouveau-mot-de-passe':
      return { title: t.auth.newPasswordTitle, element: <NewPasswordPage /> };
    case '/compte':
      return { title: t.account.title, element: <AccountPage /> };
    default:
      return undefined;
  }
}
