import { JsonText } from './json-text.ts';

interface JsonResource {
  resourceType: string;
  id: string;
  json: string;
}

/** The searchset Bundle's opening members: type, total and paging links (FHIR R4 search §3.1.1.5). */
function searchsetHead(links: { self: string; next?: string | undefined }, total: number | undefined) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(total === undefined ? {} : { total }),
    link: [
      { relation: 'self', url: links.self },
      ...(links.next === undefined ? [] : [{ relation: 'next', url: links.next }]),
    ],
  };
}

/** A searchset Bundle (FHIR R4 §3.1.1.3.4): the matches, their full URLs and the paging links. */
export function searchsetBundle(
  fhirBase: string,
  resources: readonly { resourceType: string; id: string }[],
  links: { self: string; next?: string | undefined },
  total?: number,
) {
  return {
    ...searchsetHead(links, total),
    entry: resources.map((resource) => ({ fullUrl: `${fhirBase}/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } })),
  };
}

/**
 * The same Bundle as JSON text, around resources already JSON text (the store's, unparsed), with
 * those brought in by `_include` after the matches (FHIR R4 search §3.1.1.5.4).
 */
export function searchsetBundleText(
  fhirBase: string,
  resources: readonly JsonResource[],
  links: { self: string; next?: string | undefined },
  total: number | undefined,
  included: readonly JsonResource[],
): JsonText {
  const entry = (resource: JsonResource, mode: 'match' | 'include') =>
    `{"fullUrl":${JSON.stringify(`${fhirBase}/${resource.resourceType}/${resource.id}`)},"resource":${resource.json},"search":{"mode":"${mode}"}}`;
  const entries = [...resources.map((r) => entry(r, 'match')), ...included.map((r) => entry(r, 'include'))];
  const head = JSON.stringify(searchsetHead(links, total));
  return new JsonText(`${head.slice(0, -1)},"entry":[${entries.join(',')}]}`);
}

/**
 * A search URL on this server, with its parameters in a stable order. Given as pairs, a parameter
 * may repeat (`date=ge2024&date=lt2025`).
 */
export function searchUrl(
  fhirBase: string,
  type: string,
  params: Record<string, string | number | undefined> | readonly (readonly [string, string | number | undefined])[],
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Array.isArray(params) ? params : Object.entries(params)) {
    if (value !== undefined) query.append(name, String(value));
  }
  return `${fhirBase}/${type}?${query.toString()}`;
}
