import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { useT } from '../i18n/i18n.tsx';
import type { SectionKey } from '../sections.ts';

/** A section of the space whose feature has not shipped yet: it says so, and shows no fake data. */
export function SectionPage({ section }: { section: SectionKey }) {
  const t = useT();
  return (
    <>
      <h1 tabIndex={-1}>{t.sections[section]}</h1>
      <p className="fr-text--lead">{t.sectionIntro[section]}</p>
      <Alert severity="info" small description={t.sectionInProgress} />
    </>
  );
}
