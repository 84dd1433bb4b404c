import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, CarnetError, payloadTooLarge, unsupportedMediaType } from '../errors.ts';

export const FHIR_PREFIX = '/fhir/R4';

export const isFhirRequest = (request: FastifyRequest) =>
  request.url === FHIR_PREFIX || request.url.startsWith(`${FHIR_PREFIX}/`) || request.url.startsWith(`${FHIR_PREFIX}?`);

/**
 * Turns whatever a route threw into the error a client can act on. Fastify's own errors (body
 * parsing, validation, limits) are mapped to the same codes as ours; anything else is a 500 whose
 * details stay in the log.
 */
export function toCarnetError(error: unknown, bodyLimit: number): CarnetError {
  if (error instanceof CarnetError) return error;
  const fastifyError = error as Partial<FastifyError> & { validation?: unknown[] };
  if (fastifyError.validation !== undefined) {
    return new CarnetError('invalid_request', 400, describeValidation(fastifyError));
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(['application/json', 'application/fhir+json']);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new CarnetError('invalid_json', 400, 'The body is empty but Content-Type says JSON; send a JSON document or no Content-Type.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new CarnetError('invalid_json', 400, 'The body is not valid JSON; check quotes, commas and brackets.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badRequest('Content-Length does not match the body sent.');
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new CarnetError('bad_request', status, fastifyError.message ?? 'The request was refused.');
  }
  return new CarnetError('internal_error', 500, 'Carnet met an unexpected error; it was logged. Try again later.', {
    cause: error,
  });
}

function describeValidation(error: Partial<FastifyError> & { validationContext?: string }): string {
  const context = error.validationContext ?? 'request';
  return `Invalid ${context}: ${error.message ?? 'it does not match the schema'}.`;
}

const FHIR_ISSUE_CODE: Record<number, string> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  409: 'conflict',
  410: 'deleted',
  412: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  422: 'processing',
  429: 'throttled',
  503: 'transient',
};

export function sendError(request: FastifyRequest, reply: FastifyReply, error: CarnetError) {
  void reply.code(error.status).headers(error.headers);
  if (isFhirRequest(request)) {
    const issueCode = error.code === 'invalid_json' ? 'structure' : (FHIR_ISSUE_CODE[error.status] ?? 'exception');
    return reply.type('application/fhir+json; charset=utf-8').send({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: issueCode,
          details: { text: error.code },
          diagnostics: error.message,
          ...(error.field === undefined ? {} : { expression: [error.field] }),
        },
      ],
    });
  }
  // RFC 9457 §3: type, title, status, detail, instance.
  return reply.type('application/problem+json; charset=utf-8').send({
    type: `about:blank`,
    title: titleOf(error.status),
    status: error.status,
    detail: error.message,
    code: error.code,
    instance: request.url.split('?')[0],
    ...(error.field === undefined ? {} : { field: error.field }),
  });
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const titleOf = (status: number) => TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
