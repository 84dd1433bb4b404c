/**
 * SMART App Launch v2 scopes (scopes-and-launch-context.html): `<context>/<resource>.<letters>`,
 * letters among c (create) r (read) u (update) d (delete) s (search), in that order. SMART v1's
 * `.read` means `.rs`, `.write` means `.cud`, and `.*` every letter.
 */
export const INTERACTION_LETTERS = ['c', 'r', 'u', 'd', 's'] as const;
export type InteractionLetter = (typeof INTERACTION_LETTERS)[number];

export type ScopeContext = 'patient' | 'user' | 'system';

export interface SmartScope {
  context: ScopeContext;
  /** A FHIR resource type, or `*` for all. */
  resourceType: string;
  letters: ReadonlySet<InteractionLetter>;
}

const SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{1,63})\.([a-z*]{1,5})$/;
const V2_LETTERS = /^c?r?u?d?s?$/;
const V1: Record<string, readonly InteractionLetter[]> = {
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
  '*': INTERACTION_LETTERS,
};

/**
 * The scope's meaning, or undefined for anything else: OpenID scopes, misspelt letters (`.rc`,
 * `.x`), and scopes narrowed by a query (`?category=…`), whose restriction Carnet does not enforce
 * yet and which must therefore grant nothing rather than the whole resource type (checklist D5:
 * a bad suffix never widens).
 */
export function parseSmartScope(scope: string): SmartScope | undefined {
  const match = SCOPE.exec(scope);
  if (match === null) return undefined;
  const [, context, resourceType, suffix] = match as unknown as [string, ScopeContext, string, string];
  let letters: readonly InteractionLetter[];
  if (suffix in V1) letters = V1[suffix]!;
  else if (suffix !== '' && V2_LETTERS.test(suffix)) letters = [...suffix] as InteractionLetter[];
  else return undefined;
  return { context, resourceType, letters: new Set(letters) };
}

/**
 * Whether any of the granted scopes allows interaction `letter` on `resourceType`, in any context
 * (the caller has bound the context: a patient's app to its patient, software to its professional).
 * The FHIR routes ask this of a software actor's scopes before deciding access.
 */
export function permitsInteraction(scopes: readonly string[], resourceType: string, letter: InteractionLetter): boolean {
  return scopes.some((scope) => {
    const parsed = parseSmartScope(scope);
    return parsed !== undefined && (parsed.resourceType === '*' || parsed.resourceType === resourceType) && parsed.letters.has(letter);
  });
}

/**
 * The requested scopes a client may have: those of the given contexts that one of its allowed
 * scopes covers entirely (same or wildcard resource type, every letter). A requested wildcard
 * needs an allowed wildcard. Unknown or malformed scopes are never granted.
 */
export function grantableScopes(
  requested: readonly string[],
  allowed: readonly string[],
  contexts: readonly ScopeContext[] = ['system'],
): string[] {
  const caps = allowed.map(parseSmartScope).filter((s): s is SmartScope => s !== undefined);
  return [...new Set(requested)].filter((scope) => {
    const wanted = parseSmartScope(scope);
    if (wanted === undefined || !contexts.includes(wanted.context)) return false;
    return caps.some(
      (cap) =>
        cap.context === wanted.context &&
        (cap.resourceType === '*' || cap.resourceType === wanted.resourceType) &&
        [...wanted.letters].every((letter) => cap.letters.has(letter)),
    );
  });
}

/** Space-separated scopes (RFC 6749 §3.3), without empty entries. */
export const splitScopes = (scope: string | undefined | null): string[] => (scope ?? '').split(' ').filter((s) => s !== '');
