import { crossOriginRefused, csrfTokenInvalid } from '../accounts/auth.errors.ts';
import type { CarnetError } from '../errors.ts';
import { sameSecret } from './token.ts';

/** RFC 9110 §9.2.1: everything but these may change state. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfInput {
  method: string;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** The x-csrf-token header. */
  token: string | undefined;
  /** The session the request's cookie names, if any. */
  sessionToken: string | undefined;
  /** Pre-login routes (login, reset): no session token exists yet; the origin check applies. */
  originOnly: boolean;
  expectedOrigin: string;
}

/**
 * Cross-site request forgery defences for cookie-authenticated requests (ASVS 5.0 3.5.1–3.5.3;
 * OWASP CSRF Prevention Cheat Sheet), in three layers:
 * 1. SameSite=Lax keeps the cookie off cross-site POST, PUT, PATCH and DELETE;
 * 2. the Origin header (sent by browsers on every such request, Fetch §3.1) must be Carnet's own,
 *    and Sec-Fetch-Site must not say cross-site or same-site (a sibling subdomain);
 * 3. a per-session token, given to the app in JSON that a cross-origin page cannot read, must
 *    come back in the x-csrf-token header, which a cross-site form cannot set.
 * Requests without a session cookie (server-to-server, bearer tokens) are not cookie-authenticated
 * and are left to their own authentication.
 */
export function csrfProblem(input: CsrfInput): CarnetError | undefined {
  if (SAFE_METHODS.has(input.method)) return undefined;
  if (input.sessionToken === undefined && !input.originOnly) return undefined;
  if (input.origin !== undefined && input.origin !== input.expectedOrigin) {
    return crossOriginRefused(input.origin, input.expectedOrigin);
  }
  if (input.secFetchSite === 'cross-site' || input.secFetchSite === 'same-site') {
    return crossOriginRefused(input.secFetchSite, input.expectedOrigin);
  }
  if (input.originOnly || input.sessionToken === undefined) return undefined;
  if (input.token === undefined || !sameSecret(input.token, input.sessionToken)) return csrfTokenInvalid();
  return undefined;
}
