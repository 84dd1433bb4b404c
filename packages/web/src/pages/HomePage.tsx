import { Tile } from '@codegouvfr/react-dsfr/Tile';
import { useT } from '../i18n/i18n.tsx';
import { SECTIONS } from '../sections.ts';

export function HomePage() {
  const t = useT();
  return (
    <>
      <h1 tabIndex={-1}>{t.home.title}</h1>
      <p className="fr-text--lead">{t.home.lead}</p>
      <p>{t.home.control}</p>
      <h2 className="fr-mt-6w">{t.home.sectionsTitle}</h2>
      <ul className="fr-grid-row fr-grid-row--gutters fr-raw-list">
        {SECTIONS.map((section) => (
          <li key={section.key} className="fr-col-12 fr-col-md-4">
            <Tile
              title={t.sections[section.key]}
              desc={t.sectionIntro[section.key]}
              linkProps={{ href: section.path }}
              titleAs="h3"
              orientation="vertical"
            />
          </li>
        ))}
      </ul>
    </>
  );
}
