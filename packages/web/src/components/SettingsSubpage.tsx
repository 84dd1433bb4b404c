import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n.tsx';
import { SECTIONS } from '../sections.ts';
import { PatientOnly } from './PatientOnly.tsx';

const SETTINGS_PATH = SECTIONS.find((s) => s.key === 'settings')!.path;

/**
 * A page under Paramètres: the breadcrumb back to the settings, then the page itself for the
 * patient logged in to their space (others are told why they see nothing).
 */
export function SettingsSubpage({ title, intro, children }: { title: string; intro: string; children: (patientId: string) => ReactNode }) {
  const t = useT();
  return (
    <>
      <Breadcrumb
        className="fr-mt-0"
        homeLinkProps={{ href: '/' }}
        segments={[{ label: t.sections.settings, linkProps: { href: SETTINGS_PATH } }]}
        currentPageLabel={title}
      />
      <PatientOnly title={title} intro={intro}>
        {children}
      </PatientOnly>
    </>
  );
}
