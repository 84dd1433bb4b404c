import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { alreadyLoggedIn, notAuthenticated, secondFactorRequired } from '../accounts/auth.errors.ts';
import type { Deps } from '../deps.ts';
import { acceptsBearer, bearerTokenOf, withBearerChallenge } from '../oauth/bearer.ts';
import { webSessionOnly } from '../oauth/oauth.errors.ts';
import type { Actor } from '../policy/actor.ts';
import { actorFromSession } from './actor-from-session.ts';
import { csrfProblem } from './csrf.ts';
import { sessionCookie } from './session-cookie.ts';
import type { SessionRecord } from './session.repository.ts';
import { resolveSession } from './session.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The live session the cookie names, whatever its stage. */
    session: SessionRecord | undefined;
    /** Who is asking, once fully logged in (password and second factor, or an identity provider). */
    actor: Actor | undefined;
  }
  interface FastifyContextConfig {
    /**
     * What a route needs: `full` a complete login (request.actor is set), `second-factor` a login
     * waiting for its second factor, `session` any live session. Unset: anyone (the route decides).
     */
    auth?: 'full' | 'second-factor' | 'session';
    /** Pre-login routes (login, reset): there is no session token yet, only the origin is checked. */
    csrf?: 'origin-only';
    /** A `full` route an OAuth access token may not use, on a path that otherwise accepts one. */
    webSessionOnly?: boolean;
  }
}

/**
 * Turns the session cookie into `request.session` and `request.actor` on every request (or, on
 * /fhir/ and /api/professional/, an OAuth access token into `request.actor`), checks CSRF defences
 * on state-changing cookie-authenticated requests, and enforces each route's `config.auth`.
 * Registered before any feature route, so that every route sees it.
 */
export async function registerAuthentication(app: FastifyInstance, deps: Deps) {
  await app.register(fastifyCookie);
  app.decorateRequest('session', undefined);
  app.decorateRequest('actor', undefined);
  const cookie = sessionCookie(deps.config.baseUrl);
  const expectedOrigin = new URL(deps.config.baseUrl).origin;

  // onRequest, before the body is read or validated: an anonymous caller learns nothing of a
  // route's schema and costs no parsing.
  app.addHook('onRequest', async (request, reply) => {
    const bearer = bearerTokenOf(request);
    // An access token is the whole of a request's credentials: a cookie beside it is not read, so
    // what software may do never depends on a browser session. With no cookie session, the CSRF
    // check below has nothing to protect (a token is not sent by the browser on its own).
    const token = bearer === undefined ? request.cookies[cookie.name] : undefined;
    if (bearer !== undefined) {
      request.actor = await deps.oauth.authenticate(bearer);
    } else if (token !== undefined) {
      const session = await resolveSession(deps, token);
      if (session === undefined) {
        // An ended or unknown session: tell the browser to forget it.
        void reply.clearCookie(cookie.name, cookie.options);
      } else {
        request.session = session;
        request.actor = actorFromSession(session);
      }
    }
    const config = request.routeOptions.config;
    const problem = csrfProblem({
      method: request.method,
      origin: request.headers.origin,
      secFetchSite: headerValue(request.headers['sec-fetch-site']),
      token: headerValue(request.headers['x-csrf-token']),
      sessionToken: request.session?.csrfToken,
      originOnly: config.csrf === 'origin-only',
      expectedOrigin,
    });
    if (problem !== undefined) throw problem;
    enforceRouteAuth(request, config);
  });
}

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function enforceRouteAuth(request: FastifyRequest, config: FastifyRequest['routeOptions']['config']) {
  const { auth } = config;
  if (auth === undefined) return;
  if (request.actor?.kind === 'professional' && request.actor.software !== undefined) {
    // Set from an access token: it stands for a full login, on the routes that take one.
    if (auth !== 'full' || config.webSessionOnly === true) throw webSessionOnly();
    return;
  }
  const session = request.session;
  if (session === undefined) throw acceptsBearer(request) ? withBearerChallenge(notAuthenticated()) : notAuthenticated();
  if (auth === 'full' && (session.stage !== 'full' || request.actor === undefined)) {
    throw session.stage === 'full' ? notAuthenticated() : secondFactorRequired();
  }
  if (auth === 'second-factor' && session.stage !== 'second-factor') throw alreadyLoggedIn();
}

/** The session of a route declared with `config.auth`; the hook has checked it exists. */
export function sessionOf(request: FastifyRequest): SessionRecord {
  if (request.session === undefined) throw notAuthenticated();
  return request.session;
}

/** The actor of a route declared with `config.auth: 'full'`. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.actor === undefined) throw notAuthenticated();
  return request.actor;
}

export function setSessionCookie(reply: FastifyReply, baseUrl: string, token: string) {
  const cookie = sessionCookie(baseUrl);
  void reply.setCookie(cookie.name, token, cookie.options);
}

export function clearSessionCookie(reply: FastifyReply, baseUrl: string) {
  const cookie = sessionCookie(baseUrl);
  void reply.clearCookie(cookie.name, cookie.options);
}
