import * as client from 'openid-client';
import { recordAccountEvent } from '../accounts/account-events.ts';
import type { Deps } from '../deps.ts';
import { findAccountByIdentity, linkIdentity } from '../accounts/account.repository.ts';
import type { SessionRecord } from '../sessions/session.repository.ts';
import { startSession, type StartedSession } from '../sessions/session.service.ts';
import { newToken, tokenHash } from '../sessions/token.ts';
import type { OidcClients } from './oidc-clients.ts';
import { purgeExpiredOidcLogins, saveOidcLogin, takeOidcLogin } from './oidc-login.repository.ts';
import type { OidcProvider } from './oidc-providers.ts';
import {
  acrRefused,
  flowInvalid,
  identityAlreadyLinked,
  identityUnlinked,
  providerFailed,
  wrongAccountKind,
} from './oidc.errors.ts';

const FLOW_MINUTES = 10;

export interface StartedFlow {
  authorizationUrl: URL;
  /** The cookie value that binds the flow to this browser. */
  handle: string;
}

/**
 * Starts an authorization code flow (OpenID Connect Core §3.1) with PKCE S256 (RFC 7636), a
 * random state (CSRF on the redirect, RFC 6749 §10.12) and nonce (replay of ID tokens), all kept
 * server-side and found again through a cookie only this browser has.
 */
export async function startOidcFlow(
  deps: Deps,
  clients: OidcClients,
  provider: OidcProvider,
  intent: 'login' | 'link',
  session?: SessionRecord,
): Promise<StartedFlow> {
  let configuration: client.Configuration;
  try {
    configuration = await clients.configurationOf(provider);
  } catch (error) {
    throw providerFailed(error);
  }
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const handle = newToken();
  const now = deps.clock.now();
  await purgeExpiredOidcLogins(deps.db, now);
  await saveOidcLogin(deps.db, {
    handle_hash: tokenHash(handle),
    provider: provider.id,
    intent,
    state,
    nonce,
    code_verifier: codeVerifier,
    session_id: session?.sessionId ?? null,
    created_at: now,
    expires_at: new Date(now.getTime() + FLOW_MINUTES * 60_000),
  });
  const authorizationUrl = client.buildAuthorizationUrl(configuration, {
    redirect_uri: provider.redirectUri,
    scope: provider.scope,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    // OpenID Connect Core §3.1.2.1: ask for the level; the ID token's acr is still checked below.
    acr_values: provider.acr,
  });
  return { authorizationUrl, handle };
}

export type CallbackOutcome =
  | { intent: 'login'; session: StartedSession; accountKind: OidcProvider['accountKind'] }
  | { intent: 'link' };

/**
 * The provider sent the browser back. The code is exchanged with the PKCE verifier; openid-client
 * checks the state, the ID token's signature, issuer, audience, expiry and nonce. Carnet then
 * checks the acr and finds the account by (issuer, subject), never by e-mail (ASVS 5.0 6.8.1).
 */
export async function finishOidcFlow(
  deps: Deps,
  clients: OidcClients,
  provider: OidcProvider,
  request: {
    handle: string | undefined;
    callbackQuery: string;
    session: SessionRecord | undefined;
    userAgent: string | undefined;
    sourceIp: string;
  },
): Promise<CallbackOutcome> {
  const now = deps.clock.now();
  const flow = request.handle === undefined ? undefined : await takeOidcLogin(deps.db, tokenHash(request.handle), provider.id, now);
  if (flow === undefined) throw flowInvalid();
  const currentUrl = new URL(provider.redirectUri);
  currentUrl.search = request.callbackQuery;
  let claims: client.IDToken | undefined;
  try {
    const tokens = await client.authorizationCodeGrant(await clients.configurationOf(provider), currentUrl, {
      pkceCodeVerifier: flow.code_verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (error) {
    throw providerFailed(error);
  }
  if (claims === undefined) throw providerFailed(new Error('no ID token'));
  // ASVS 5.0 6.8.4: the authentication strength the relying party needs is checked, not assumed.
  if (claims.acr !== provider.acr) throw acrRefused();

  if (flow.intent === 'link') {
    const session = request.session;
    if (session === undefined || session.stage !== 'full' || session.sessionId !== flow.session_id) throw flowInvalid();
    if (session.account.kind !== provider.accountKind) throw wrongAccountKind();
    const { iss, sub } = claims;
    await deps.db.transaction().execute(async (trx) => {
      const linked = await linkIdentity(trx, { issuer: iss, subject: sub, accountId: session.accountId, provider: provider.id, now });
      if (!linked) throw identityAlreadyLinked();
      await recordAccountEvent(trx, {
        account: { accountId: session.accountId },
        action: 'identity.link',
        outcome: 'permit',
        reason: provider.id,
        sourceIp: request.sourceIp,
      });
    });
    return { intent: 'link' };
  }

  const account = await findAccountByIdentity(deps.db, claims.iss, claims.sub);
  if (account === undefined || account.disabled_at !== null) throw identityUnlinked();
  if (account.kind !== provider.accountKind) throw wrongAccountKind();
  // The provider authenticated the person at the required acr: that is the whole login, and a
  // fresh full session starts (no second factor asked again).
  const session = await startSession(deps, {
    accountId: account.account_id,
    stage: 'full',
    authMethods: ['ext'],
    acr: claims.acr,
    userAgent: request.userAgent,
    sourceIp: request.sourceIp,
  });
  return { intent: 'login', session, accountKind: account.kind };
}
