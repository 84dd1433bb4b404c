import type { FastifyRequest } from 'fastify';
import { CarnetError } from '../errors.ts';

/** The routes an OAuth access token opens: the FHIR API and the professional API. */
const BEARER_PREFIXES = ['/fhir/', '/api/professional/'];

export const acceptsBearer = (request: FastifyRequest) => BEARER_PREFIXES.some((prefix) => request.url.startsWith(prefix));

/**
 * The access token of a request to a route that accepts one (RFC 6750 §2.1: `Authorization:
 * Bearer <token>`, the scheme in any case), or undefined. Tokens in the query string or the body
 * (§2.2, §2.3) are not accepted: they end up in logs (checklist D11).
 */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  if (!acceptsBearer(request)) return undefined;
  const header = request.headers.authorization;
  if (header === undefined || !/^bearer(\s|$)/i.test(header)) return undefined;
  return header.slice('bearer'.length).trim();
}

/** RFC 6750 §3: a 401 on a route that takes tokens says how to authenticate. */
export const withBearerChallenge = (error: CarnetError) =>
  new CarnetError(error.code, error.status, error.message, {
    headers: { ...error.headers, 'www-authenticate': 'Bearer realm="Carnet"' },
    ...(error.field === undefined ? {} : { field: error.field }),
  });
