import { isLoopbackUrl } from '../config.ts';

export interface CookieSpec {
  name: string;
  options: { path: '/'; httpOnly: true; secure: boolean; sameSite: 'lax' };
}

/**
 * The session cookie (RFC 6265bis; ASVS 5.0 3.3.1–3.3.4):
 * - `__Host-` prefix: the browser accepts it only Secure, with Path=/ and no Domain, so no
 *   sibling subdomain can set or shadow it (RFC 6265bis §4.1.3.2);
 * - HttpOnly: scripts (and so XSS) cannot read it;
 * - SameSite=Lax: not sent on cross-site subrequests or POSTs, still sent when the user follows
 *   a link or an identity provider redirects back;
 * - no Max-Age: it dies with the browser; the server enforces the idle and absolute timeouts.
 * The prefix requires Secure, which requires https; on plain-http loopback (development, tests)
 * the cookie is `carnet_session`, without Secure. config.ts refuses plain http anywhere else.
 */
export function sessionCookie(baseUrl: string): CookieSpec {
  const secure = !(baseUrl.startsWith('http:') && isLoopbackUrl(baseUrl));
  return {
    name: secure ? '__Host-carnet_session' : 'carnet_session',
    options: { path: '/', httpOnly: true, secure, sameSite: 'lax' },
  };
}

/** Binds an OpenID Connect login in flight to the browser that started it; lives 10 minutes. */
export function oidcFlowCookie(baseUrl: string): CookieSpec {
  const session = sessionCookie(baseUrl);
  return { name: session.options.secure ? '__Host-carnet_oidc' : 'carnet_oidc', options: session.options };
}
