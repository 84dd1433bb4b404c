import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Tile } from '@codegouvfr/react-dsfr/Tile';
import { PatientOnly } from '../components/PatientOnly.tsx';
import { useT } from '../i18n/i18n.tsx';
import { MaskByDefaultSetting } from './documents/MaskByDefaultSetting.tsx';
import { ACCESS_HISTORY_PATH, CARE_TEAM_PATH, EMERGENCY_ACCESS_PATH, type SectionKey } from '../sections.ts';

/**
 * A section of the space whose features have not shipped yet: it says so and shows no fake data.
 * Paramètres links to its pages that have shipped.
 */
export function SectionPage({ section }: { section: SectionKey }) {
  const t = useT();
  return (
    <PatientOnly title={t.sections[section]} intro={t.sectionIntro[section]}>
      {(patientId) =>
        section === 'settings' ? (
          <>
            <SettingsLinks />
            <MaskByDefaultSetting patientId={patientId} />
            <Alert severity="info" small description={t.settingsInProgress} />
          </>
        ) : (
          <Alert severity="info" small description={t.sectionInProgress} />
        )
      }
    </PatientOnly>
  );
}

/** The settings pages that exist so far. */
function SettingsLinks() {
  const t = useT();
  return (
    <ul className="fr-grid-row fr-grid-row--gutters fr-raw-list fr-mb-4w">
      <li className="fr-col-12 fr-col-md-6">
        <Tile
          title={t.accessHistory.title}
          desc={t.accessHistory.tileDesc}
          linkProps={{ href: ACCESS_HISTORY_PATH }}
          titleAs="h2"
          orientation="horizontal"
        />
      </li>
      <li className="fr-col-12 fr-col-md-6">
        <Tile
          title={t.careTeam.title}
          desc={t.careTeam.tileDesc}
          linkProps={{ href: CARE_TEAM_PATH }}
          titleAs="h2"
          orientation="horizontal"
        />
      </li>
      <li className="fr-col-12 fr-col-md-6">
        <Tile
          title={t.emergencyAccess.title}
          desc={t.emergencyAccess.tileDesc}
          linkProps={{ href: EMERGENCY_ACCESS_PATH }}
          titleAs="h2"
          orientation="horizontal"
        />
      </li>
    </ul>
  );
}
