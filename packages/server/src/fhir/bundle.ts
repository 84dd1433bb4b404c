/** A searchset Bundle (FHIR R4 §3.1.1.3.4): the matches, their full URLs and the paging links. */
export function searchsetBundle(
  fhirBase: string,
  resources: readonly { resourceType: string; id: string }[],
  links: { self: string; next?: string | undefined },
  total?: number,
  included: readonly { resourceType: string; id: string }[] = [],
) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(total === undefined ? {} : { total }),
    link: [
      { relation: 'self', url: links.self },
      ...(links.next === undefined ? [] : [{ relation: 'next', url: links.next }]),
    ],
    entry: [
      ...resources.map((resource) => ({
        fullUrl: `${fhirBase}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'match' },
      })),
      // FHIR R4 search §3.1.1.5.4: resources brought in by _include.
      ...included.map((resource) => ({
        fullUrl: `${fhirBase}/${resource.resourceType}/${resource.id}`,
        resource,
        search: { mode: 'include' },
      })),
    ],
  };
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
