import type { FastifyInstance } from 'fastify';
import { methodNotAllowed, notFound } from '../errors.ts';
import { FHIR_PREFIX, isFhirRequest, sendError, toCarnetError } from './error-response.ts';
import type { RouteTable } from './route-table.ts';
import type { SpaFallback } from './web-app.ts';

/**
 * One place renders every error: OperationOutcome on FHIR routes, problem+json elsewhere.
 * Fastify binds a route to the error handler in force when the route is declared, so this runs
 * before any route.
 */
export function registerErrorHandler(app: FastifyInstance, bodyLimit: number) {
  app.setErrorHandler((error, request, reply) => {
    const carnetError = toCarnetError(error, request.routeOptions.bodyLimit ?? bodyLimit);
    if (carnetError.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    return sendError(request, reply, carnetError);
  });
}

/** Unmatched requests: the web app's own pages, else 405 when the path exists, else 404. */
export function registerNotFoundHandler(app: FastifyInstance, routes: RouteTable, spaFallback: SpaFallback | undefined) {
  app.setNotFoundHandler((request, reply) => {
    const page = spaFallback?.(request, reply);
    if (page !== undefined) return page;
    const path = request.url.split('?')[0] ?? '/';
    const allowed = routes.allowedMethods(path);
    const error =
      allowed.length > 0
        ? methodNotAllowed(request.method, path, allowed)
        : notFound(
            isFhirRequest(request)
              ? `No FHIR endpoint at ${path}; GET ${FHIR_PREFIX}/metadata lists what this server supports.`
              : `Nothing at ${path}; check the address.`,
          );
    return sendError(request, reply, error);
  });
}
