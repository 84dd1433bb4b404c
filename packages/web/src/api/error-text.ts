import type { Messages } from '../i18n/fr.ts';
import { ApiError } from './http.ts';

type ErrorKey = keyof Messages['errors'];

/** The sentence to show for an API error, from its stable code (the server's text is English). */
export function errorText(t: Messages, error: unknown): string {
  if (!(error instanceof ApiError)) return t.errors.generic;
  if (error.status === 0) return t.errors.network;
  const key = (error.code in t.errors ? error.code : 'generic') as ErrorKey;
  const minutes = Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60));
  return t.errors[key].replace('{minutes}', String(minutes));
}

/** The sentence for an error code given in the page address (?erreur=…) by a redirect. */
export function errorTextForCode(t: Messages, code: string | null): string | undefined {
  if (code === null) return undefined;
  return code in t.errors ? t.errors[code as ErrorKey] : t.errors.generic;
}
