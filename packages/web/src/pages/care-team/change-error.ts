import type { CareRole } from '../../api/care-team.ts';
import { errorText } from '../../api/error-text.ts';
import { ApiError } from '../../api/http.ts';
import type { Messages } from '../../i18n/fr.ts';

/**
 * The sentence for a refused change to the care team. The server answers generic codes
 * (bad_request, not_found, conflict) with English details; what was asked tells them apart: the
 * RPPS key is checked before sending, so a 400 on a role is a profession that does not fit it.
 */
export function changeErrorText(t: Messages, error: unknown, role?: CareRole): string {
  if (!(error instanceof ApiError)) return errorText(t, error);
  const c = t.careTeam;
  switch (error.status) {
    case 400:
      return role === undefined ? c.rppsKey : c.roleWrongProfession[role];
    case 404:
      return c.rppsUnknown;
    case 409:
      return c.treatingDoctorConflict;
    default:
      return errorText(t, error);
  }
}
