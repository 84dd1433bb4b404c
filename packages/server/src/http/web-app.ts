import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to APIs: an unknown one there is a 404, never the web app. */
const API_PREFIXES = ['/api/', '/fhir/', '/oauth/', '/.well-known/', '/metrics', '/healthz', '/readyz'];

export type SpaFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

/**
 * Serves the built web app. Vite fingerprints everything under /assets/, so those files are
 * cached for a year; anything else (index.html, the design system's files) is revalidated on each
 * visit so that a new release shows at once. Returns the fallback that answers the app's own
 * client-side routes (/documents, /profil…) with index.html.
 */
export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<SpaFallback | undefined> {
  const indexHtml = path.join(webDir, 'index.html');
  if (!existsSync(indexHtml)) {
    app.log.warn('The web app is not built (run npm run build); serving the API only.');
    return undefined;
  }
  // wildcard: false registers one route per built file, so unknown paths reach our 404/405 handler.
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders(reply, filePath) {
      const hashed = filePath.startsWith(path.join(webDir, 'assets') + path.sep);
      reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', webDir);
  app.get('/', (_request, reply) => sendIndex(reply));

  return (request, reply) => {
    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    const isApi = API_PREFIXES.some((prefix) => request.url.startsWith(prefix));
    return wantsPage && !isApi ? sendIndex(reply) : undefined;
  };
}
