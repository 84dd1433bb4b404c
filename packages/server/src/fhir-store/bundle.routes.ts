import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { unsupportedMediaType } from '../errors.ts';
import { accessContext } from '../patients/patient-route.ts';
import { parseBundle, processBatch, processTransaction, type TransactionHandler } from './bundle-interactions.ts';
import type { StoredTypeBinding } from './resource-access.ts';

const JSON_TYPES = ['application/fhir+json', 'application/json'];

/** POST [base] with a transaction or batch Bundle (FHIR R4 http §3.1.0.11). */
export function bundleRoute(
  app: FastifyInstance,
  options: { deps: Deps; fhirBase: string; storedTypes: ReadonlyMap<string, StoredTypeBinding>; handlers: readonly TransactionHandler[] },
) {
  // A Bundle carries its documents in base64 (a third larger than the files) beside their
  // metadata: it may be as large as the largest document allowed, and some.
  const bodyLimit = Math.ceil((options.deps.config.documentMaxBytes * 4) / 3) + 1024 * 1024;
  app.post('/', { config: { auth: 'full' }, bodyLimit }, async (request) => {
    const contentType = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!JSON_TYPES.includes(contentType)) throw unsupportedMediaType(JSON_TYPES);
    const bundle = parseBundle(request.body);
    const context = accessContext(options.deps, request);
    if (bundle.type === 'transaction') {
      const handler = options.handlers.find((h) => h.matches(bundle));
      if (handler !== undefined) return handler.handle(bundle, { deps: options.deps, context, fhirBase: options.fhirBase });
    }
    const call = { context, fhirBase: options.fhirBase, bindings: options.storedTypes };
    return bundle.type === 'transaction' ? processTransaction(call, bundle) : processBatch(call, bundle);
  });
}
