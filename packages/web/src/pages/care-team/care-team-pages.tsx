import type { ReactNode } from 'react';
import { useT } from '../../i18n/i18n.tsx';
import { CARE_TEAM_PATH, EMERGENCY_ACCESS_PATH } from '../../sections.ts';
import { CareTeamPage } from './CareTeamPage.tsx';
import { EmergencyAccessPage } from './EmergencyAccessPage.tsx';

/** The patient's controls over professionals: the care team, and access in an emergency. */
export function useCareTeamPage(path: string): { title: string; element: ReactNode } | undefined {
  const t = useT();
  if (path === CARE_TEAM_PATH) return { title: `${t.careTeam.title} — Carnet`, element: <CareTeamPage /> };
  if (path === EMERGENCY_ACCESS_PATH) return { title: `${t.emergencyAccess.title} — Carnet`, element: <EmergencyAccessPage /> };
  return undefined;
}
