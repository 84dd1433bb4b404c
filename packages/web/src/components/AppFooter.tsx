import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { brandTop } from './brand-top.tsx';
import { useI18n } from '../i18n/i18n.tsx';

export function AppFooter() {
  const { t } = useI18n();
  return (
    <Footer
      id="footer"
      accessibility="non compliant"
      brandTop={brandTop(t.brandTop)}
      homeLinkProps={{ href: '/', title: t.homeLinkTitle }}
      contentDescription={t.footer.description}
      license={t.footer.license}
      domains={[]}
    />
  );
}
