import { headerFooterDisplayItem } from '@codegouvfr/react-dsfr/Display';
import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { brandTop } from './brand-top.tsx';
import { useT } from '../i18n/i18n.tsx';

export function AppFooter() {
  const t = useT();
  return (
    <Footer
      id="footer"
      accessibility="non compliant"
      brandTop={brandTop(t.brandTop)}
      homeLinkProps={{ href: '/', title: t.homeLinkTitle }}
      contentDescription={t.footer.description}
      license={t.footer.license}
      domains={[]}
      // Opens the design system's light/dark/system theme dialog, which the header already renders.
      bottomItems={[headerFooterDisplayItem]}
    />
  );
}
