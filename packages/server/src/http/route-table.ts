import type { FastifyInstance } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';

/**
 * A mirror of the routes Fastify knows, so that an unmatched request can tell "this path exists
 * with other methods" (405 with Allow, RFC 9110 §15.5.6) from "no such path" (404). Fastify's own
 * router answers 404 for both.
 */
export class RouteTable {
  private readonly router = FindMyWay({ ignoreTrailingSlash: true });
  private readonly methods = new Set<HTTPMethod>();
  /** Every route with what it requires of the caller: the anonymous-access test walks them all. */
  readonly declared: { method: string; url: string; auth: string | undefined }[] = [];

  attach(app: FastifyInstance) {
    app.addHook('onRoute', (route) => {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]) as HTTPMethod[];
      for (const method of methods) {
        this.declared.push({ method, url: route.url, auth: route.config?.auth });
        this.methods.add(method);
        this.router.on(method, route.url, () => {});
      }
    });
  }

  allowedMethods(path: string): string[] {
    return [...this.methods].filter((method) => this.router.find(method, path) !== null).sort();
  }
}
