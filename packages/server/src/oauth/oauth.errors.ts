import { CarnetError } from '../errors.ts';

/**
 * The OAuth signing keys are missing or malformed. Thrown at start-up, before any request: the
 * message names the variable or file and what is wrong, never key material.
 */
export class OAuthKeyError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'OAuthKeyError';
  }
}

/**
 * RFC 6750 §3.1: a bearer token that is malformed, expired, revoked or not meant for this server.
 * The description says which, so that the software's developer can fix it; it never echoes the
 * token.
 */
export const invalidToken = (description: string) =>
  new CarnetError('invalid_token', 401, `The access token is refused: ${description}.`, {
    headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${description.replaceAll('"', "'")}"` },
  });

/** RFC 6750 §3.1: the token is valid but its scopes do not cover the request. */
export const insufficientScope = (needed: string) =>
  new CarnetError('insufficient_scope', 403, `The access token's scopes do not allow this; it needs ${needed}.`, {
    headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${needed}"` },
  });

export const professionalsOnly = () =>
  new CarnetError('forbidden', 403, 'Only a professional logged in to Carnet manages software clients.');

export const webSessionOnly = () =>
  new CarnetError(
    'web_session_required',
    403,
    'Software clients are managed from a professional web session, not with an access token.',
  );

export const noSuchSoftwareClient = () => new CarnetError('not_found', 404, 'You have no software client with this id.');

export const invalidClientJwks = (problem: string) =>
  new CarnetError('invalid_jwks', 400, `The key set is refused: ${problem}.`, { field: 'jwks' });
