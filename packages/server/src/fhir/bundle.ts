/** A searchset Bundle (FHIR R4 §3.1.1.3.4): the matches, their full URLs and the paging links. */
export function searchsetBundle(
  fhirBase: string,
  resources: readonly { resourceType: string; id: string }[],
  links: { self: string; next?: string | undefined },
  total?: number,
) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(total === undefined ? {} : { total }),
    link: [
      { relation: 'self', url: links.self },
      ...(links.next === undefined ? [] : [{ relation: 'next', url: links.next }]),
    ],
    entry: resources.map((resource) => ({
      fullUrl: `${fhirBase}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

/** A search URL on this server, with its parameters in a stable order. */
export function searchUrl(fhirBase: string, type: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  return `${fhirBase}/${type}?${query.toString()}`;
}
