import { Header } from '@codegouvfr/react-dsfr/Header';
import { brandTop } from './brand-top.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { navigate } from '../router.tsx';
import { SECTIONS } from '../sections.ts';
import { patientLoginHref } from '../session/login-return.ts';
import { showsPatientSpace, useSession } from '../session/session.tsx';

export function AppHeader({ pathname }: { pathname: string }) {
  const { t, lang, setLang } = useI18n();
  const { me, logout } = useSession();
  const other = lang === 'fr' ? 'en' : 'fr';
  const loggedIn = me?.stage === 'full';
  const accountItems = loggedIn
    ? [
        { iconId: 'fr-icon-account-circle-line' as const, text: t.auth.myAccount, linkProps: { href: '/compte' } },
        {
          iconId: 'fr-icon-logout-box-r-line' as const,
          text: t.auth.logOut,
          buttonProps: { onClick: () => void logout().then(() => navigate('/connexion')) },
        },
      ]
    : [{ iconId: 'fr-icon-lock-line' as const, text: t.auth.logIn, linkProps: { href: patientLoginHref(pathname) } }];
  return (
    <Header
      id="header"
      brandTop={brandTop(t.brandTop)}
      serviceTitle="Carnet"
      serviceTagline={t.serviceTagline}
      homeLinkProps={{ href: '/', title: t.homeLinkTitle }}
      quickAccessItems={[
        ...accountItems,
        {
          iconId: 'fr-icon-translate-2',
          text: t.switchLanguage,
          buttonProps: { lang: t.switchLanguageLang, onClick: () => setLang(other) },
        },
      ]}
      navigation={
        showsPatientSpace(me)
          ? SECTIONS.map((section) => ({
              text: t.sections[section.key],
              // A page inside a section (Paramètres → Historique des accès) marks its section, but
              // as "current" rather than "current page" (DSFR navigation guidelines).
              linkProps: {
                href: section.path,
                ...(pathname.startsWith(`${section.path}/`) ? { 'aria-current': 'true' as const } : {}),
              },
              isActive: pathname === section.path,
            }))
          : undefined
      }
    />
  );
}
