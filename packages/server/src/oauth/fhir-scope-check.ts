import type { FastifyRequest } from 'fastify';
import { FHIR_PREFIX } from '../http/error-response.ts';
import type { Actor } from '../policy/actor.ts';
import { insufficientScope } from './oauth.errors.ts';
import { type InteractionLetter, permitsInteraction } from './smart-scopes.ts';

export interface FhirInteraction {
  resourceType: string;
  letter: InteractionLetter;
}

/**
 * What a FHIR request does, in SMART letters: `GET Type/id` reads, `GET Type` and
 * `POST Type/_search` search, `POST Type` creates, `PUT`/`PATCH` update, `DELETE` deletes. A
 * Bundle posted to the base does what each of its entries does. The metadata does nothing.
 */
export function interactionsOf(method: string, path: string, body: unknown): FhirInteraction[] {
  const segments = path.split('?')[0]!.split('/').filter((s) => s !== '');
  if (segments.length === 0) return method === 'POST' ? bundleInteractions(body) : [];
  const [resourceType, second] = segments;
  if (resourceType === 'metadata' || resourceType === undefined) return [];
  const letter = letterOf(method, second);
  return letter === undefined ? [] : [{ resourceType, letter }];
}

function letterOf(method: string, second: string | undefined): InteractionLetter | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return second === undefined ? 's' : 'r';
    case 'POST':
      return second === '_search' ? 's' : 'c';
    case 'PUT':
    case 'PATCH':
      return 'u';
    case 'DELETE':
      return 'd';
    default:
      return undefined;
  }
}

function bundleInteractions(body: unknown): FhirInteraction[] {
  const entries = (body as { entry?: unknown } | undefined)?.entry;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry: { request?: { method?: unknown; url?: unknown } } | undefined) => {
    const method = entry?.request?.method;
    const url = entry?.request?.url;
    return typeof method === 'string' && typeof url === 'string' ? interactionsOf(method.toUpperCase(), url, undefined) : [];
  });
}

/**
 * A professional's software acts within the scopes of its access token (SMART system scopes,
 * checklist D5): every interaction of the request must be granted, or it is refused as a whole
 * before anything is read or written. Web sessions carry no scopes and are not concerned.
 */
export function checkSoftwareScopes(actor: Actor | undefined, request: Pick<FastifyRequest, 'method' | 'url' | 'body'>): void {
  if (actor?.kind !== 'professional' || actor.software === undefined) return;
  const path = request.url.startsWith(FHIR_PREFIX) ? request.url.slice(FHIR_PREFIX.length) : request.url;
  const scopes = actor.software.scopes ?? [];
  for (const { resourceType, letter } of interactionsOf(request.method, path, request.body)) {
    if (!permitsInteraction(scopes, resourceType, letter)) throw insufficientScope(`system/${resourceType}.${letter}`);
  }
}
