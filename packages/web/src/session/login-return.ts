import { PATIENT_PATHS } from '../sections.ts';
import { type AccountKind, LOGIN_PATH, landingPath } from './session.tsx';

/**
 * The page a patient asked for before logging in, carried through the login steps as `?retour=`.
 * Only the space's own pages are accepted, so that the parameter cannot send anyone elsewhere (an
 * open redirect); these paths hold no identifier.
 */
const PARAM = 'retour';

const withReturn = (path: string, back: string | undefined) =>
  back === undefined ? path : `${path}?${new URLSearchParams({ [PARAM]: back })}`;

function requestedPath(): string | undefined {
  const value = new URLSearchParams(window.location.search).get(PARAM);
  return value !== null && PATIENT_PATHS.includes(value) ? value : undefined;
}

/** The patient login page; from one of the space's pages, it brings the patient back there. */
export function patientLoginHref(from: string): string {
  return withReturn(LOGIN_PATH.patient, PATIENT_PATHS.includes(from) ? from : undefined);
}

/** The address of the next login step, keeping the page to return to. */
export function nextLoginStep(path: string): string {
  return withReturn(path, requestedPath());
}

/** Where a completed login lands: the page a patient asked for, else the home of the account's kind. */
export function afterLogin(kind: AccountKind): string {
  return (kind === 'patient' ? requestedPath() : undefined) ?? landingPath(kind);
}
