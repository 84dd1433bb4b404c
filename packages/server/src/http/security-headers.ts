import type { FastifyInstance } from 'fastify';

/** API answers carry identities, health data or tokens: no browser or proxy may keep a copy. */
const NOT_CACHED = ['/api/', '/fhir/'];

/** Headers every response carries: health data is never framed, sniffed or leaked by referrer. */
export function registerSecurityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    // ASVS 5.0 14.3.2
    if (NOT_CACHED.some((prefix) => request.url.startsWith(prefix))) reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    // A document's content answers SAMEORIGIN (and `frame-ancestors 'self'`): the app's viewer frames it.
    if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    return payload;
  });
}
