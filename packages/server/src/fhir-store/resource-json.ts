import type { Resource } from '@medplum/fhirtypes';

/**
 * A stored resource as the JSON text the database returns. A search passes it into its Bundle
 * unparsed: parsing each resource of a page only to serialise it again took a fifth of a search's
 * server time, and nothing in between reads it (the caller's restriction is applied in SQL).
 */
export class ResourceJson {
  readonly resourceType: string;
  readonly id: string;
  readonly json: string;

  constructor(resourceType: string, id: string, json: string) {
    this.resourceType = resourceType;
    this.id = id;
    this.json = json;
  }

  parse<T extends Resource = Resource>(): T {
    return JSON.parse(this.json) as T;
  }
}
