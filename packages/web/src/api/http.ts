/**
 * The app's calls to Carnet's API. The CSRF token of the session is kept in memory only (never
 * in localStorage: ASVS 5.0 14.3.3) and sent in the x-csrf-token header on every call that can
 * change something; the session itself is an HttpOnly cookie the app never sees.
 */
let csrfToken: string | undefined;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds to wait, from Retry-After (429). */
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, retryAfter: number | undefined) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export function forgetCsrfToken() {
  csrfToken = undefined;
}

export async function api<T>(
  path: string,
  options: { method?: string; body?: unknown; file?: { data: Blob; contentType: string } } = {},
): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // A file goes as it is, under its declared type (the server sniffs it anyway).
  if (options.file !== undefined) headers['content-type'] = options.file.contentType;
  if (method !== 'GET' && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.file === undefined ? {} : { body: options.file.data }),
    });
  } catch {
    throw new ApiError(0, 'network', 'Carnet could not be reached.', undefined);
  }
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const retry = Number(res.headers.get('retry-after'));
    throw new ApiError(
      res.status,
      typeof json.code === 'string' ? json.code : 'unknown',
      typeof json.detail === 'string' ? json.detail : res.statusText,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
  if (typeof json.csrfToken === 'string') csrfToken = json.csrfToken;
  return json as T;
}
