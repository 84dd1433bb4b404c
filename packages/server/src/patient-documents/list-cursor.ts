import { badRequest } from '../errors.ts';
import type { ListPosition } from './patient-documents.repository.ts';

/**
 * The opaque `cursor` of the document list: where the next page starts. It names a position in
 * the list's order (date, then id), so documents filed meanwhile neither repeat nor go missing.
 */
export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.date, position.documentId])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// What PostgreSQL prints for a timestamptz, in any session time zone.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

export function decodeCursor(cursor: string): ListPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !TIMESTAMP.test(parsed[0]) ||
    !UUID.test(parsed[1])
  ) {
    throw badRequest('This cursor is not one Carnet gave; start the list again without it.', 'cursor');
  }
  return { date: parsed[0], documentId: parsed[1] };
}
