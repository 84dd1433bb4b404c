/**
 * What a caller may see of a resource type, as a condition on the resource's search values. The
 * policy module builds it from what it knows of the actor (policy/); the store only translates it
 * into SQL. It is applied inside the query, so results, paging and counts never reveal a hidden
 * resource.
 */
export type SearchRestriction =
  | { kind: 'everything' }
  | { kind: 'nothing' }
  | { kind: 'all-of'; restrictions: readonly SearchRestriction[] }
  | { kind: 'any-of'; restrictions: readonly SearchRestriction[] }
  /**
   * The resource has at least one of `codes` for the token search parameter `param` or, with
   * `negate`, none of them. A code without a system matches any system.
   */
  | { kind: 'token'; param: string; codes: readonly TokenCode[]; negate?: boolean };

export interface TokenCode {
  system?: string;
  code: string;
}

export const everything: SearchRestriction = { kind: 'everything' };
export const nothing: SearchRestriction = { kind: 'nothing' };
