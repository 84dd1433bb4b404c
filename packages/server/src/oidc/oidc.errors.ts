import { CarnetError } from '../errors.ts';

export const providerNotConfigured = () =>
  new CarnetError('oidc_not_configured', 404, 'This identity provider is not configured on this Carnet.');

export const flowInvalid = () =>
  new CarnetError(
    'oidc_flow_invalid',
    400,
    'This identity provider login expired or was started in another browser; start it again.',
  );

export const providerFailed = (cause: unknown) =>
  new CarnetError('oidc_failed', 502, 'The identity provider did not confirm the login; try again.', { cause });

export const acrRefused = () =>
  new CarnetError(
    'oidc_acr_refused',
    403,
    'The identity provider did not log you in at the level Carnet requires for health data; log in again with a stronger means (card, app).',
  );

export const identityUnlinked = () =>
  new CarnetError(
    'oidc_unlinked',
    403,
    'This identity is not linked to a Carnet account. Log in once with your e-mail and password, then link it from "My account".',
  );

export const identityAlreadyLinked = () =>
  new CarnetError('oidc_already_linked', 409, 'This identity is already linked to a Carnet account.');

export const wrongAccountKind = () =>
  new CarnetError('oidc_wrong_account_kind', 403, 'This identity provider is not for this kind of account.');
