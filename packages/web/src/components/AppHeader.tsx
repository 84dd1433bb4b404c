import { Header } from '@codegouvfr/react-dsfr/Header';
import { brandTop } from './brand-top.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { SECTIONS } from '../sections.ts';

export function AppHeader({ pathname }: { pathname: string }) {
  const { t, lang, setLang } = useI18n();
  const other = lang === 'fr' ? 'en' : 'fr';
  return (
    <Header
      id="header"
      brandTop={brandTop(t.brandTop)}
      serviceTitle="Carnet"
      serviceTagline={t.serviceTagline}
      homeLinkProps={{ href: '/', title: t.homeLinkTitle }}
      quickAccessItems={[
        {
          iconId: 'fr-icon-translate-2',
          text: t.switchLanguage,
          buttonProps: { lang: t.switchLanguageLang, onClick: () => setLang(other) },
        },
      ]}
      navigation={SECTIONS.map((section) => ({
        text: t.sections[section.key],
        linkProps: { href: section.path },
        isActive: pathname === section.path,
      }))}
    />
  );
}
