/**
 * The error every Carnet module throws when a request cannot be served. It carries a stable code
 * (for clients and logs), the HTTP status, and a message the caller can act on. It never carries
 * health data: messages name fields and rules, not values.
 */
export class CarnetError extends Error {
  readonly code: string;
  readonly status: number;
  /** Where in the input the problem is (a field name or a JSON pointer), when there is one place. */
  readonly field: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: string,
    status: number,
    message: string,
    options: { field?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'CarnetError';
    this.code = code;
    this.status = status;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }
}

export const badRequest = (message: string, field?: string) =>
  new CarnetError('bad_request', 400, message, field === undefined ? {} : { field });

export const notFound = (message: string) => new CarnetError('not_found', 404, message);

export const methodNotAllowed = (method: string, path: string, allowed: readonly string[]) =>
  new CarnetError(
    'method_not_allowed',
    405,
    `${method} is not allowed on ${path}; use ${allowed.join(', ')}.`,
    { headers: { allow: allowed.join(', ') } },
  );

export const payloadTooLarge = (limitBytes: number) =>
  new CarnetError(
    'payload_too_large',
    413,
    `The request body is larger than the limit of ${limitBytes} bytes.`,
  );

export const unsupportedMediaType = (accepted: readonly string[]) =>
  new CarnetError('unsupported_media_type', 415, `This Content-Type is not accepted here; send ${accepted.join(' or ')}.`);

export const serviceUnavailable = (message: string) =>
  new CarnetError('service_unavailable', 503, message);
