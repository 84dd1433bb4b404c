import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { SearchRestriction } from '../fhir-store/search-restriction.ts';
import {
  type AccessContext,
  authorizeChangeOnRecord,
  authorizeOnRecord,
  loadFactsOnRecord,
  policyRequest,
} from '../patients/patient-access.ts';
import { authorizeChange } from '../policy/authorize.ts';
import type { Decision } from '../policy/policy.ts';
import type { DocumentFacts } from '../policy/record-facts.ts';

/**
 * The document rules as the documents module (MHD, the patient's document list) calls them: each
 * function loads the facts, asks the policy, writes the decision to the patient's audit chain and
 * throws the refusal (404 for what the actor may not know of, 403 otherwise).
 */

const DOCUMENT = 'DocumentReference';

/** May the actor read this document? Audited with the document's id. */
export function authorizeDocumentRead(
  context: AccessContext,
  patientId: string,
  document: DocumentFacts & { id?: string },
): Promise<Decision> {
  const { id, ...facts } = document;
  return authorizeOnRecord(context, {
    patientId,
    action: 'document.read',
    resource: id === undefined ? { type: DOCUMENT } : { type: DOCUMENT, id },
    document: facts,
  });
}

/**
 * What a search of the patient's documents may return: the restriction to apply inside the query
 * (so that counts and pages never reveal a hidden document). Audited once per search.
 */
export async function authorizeDocumentSearch(context: AccessContext, patientId: string): Promise<SearchRestriction> {
  const decision = await authorizeOnRecord(context, { patientId, action: 'document.search', resource: { type: DOCUMENT } });
  // decide() always gives a permitted search its restriction; nothing is the safe reading otherwise.
  return decision.restriction ?? { kind: 'nothing' };
}

/** What filing needs to know beyond the permission. */
export interface FilingContext {
  decision: Decision;
  /** The holder masks every new document by default: file it with MASQUE_PS. */
  maskNewDocuments: boolean;
}

/**
 * Files a document: refused to a blocked professional and on a space that is not active; no
 * consultation right needed. `change` runs in the transaction of the audit entry.
 */
export async function authorizeDocumentFiling<T>(
  context: AccessContext,
  patientId: string,
  change: (trx: Kysely<Database>, filing: FilingContext) => Promise<T>,
  resource: { type: string; id?: string } = { type: DOCUMENT },
): Promise<T> {
  const facts = await loadFactsOnRecord(context, patientId);
  return authorizeChange(context, policyRequest(context, { patientId, action: 'document.file', resource }, facts), (trx, decision) =>
    change(trx, { decision, maskNewDocuments: facts.maskNewDocuments }),
  );
}

/** The holder's changes to their documents (mask, unmask, folders…), with the change in the audit's transaction. */
export function authorizeDocumentManagement<T>(
  context: AccessContext,
  patientId: string,
  resource: { type: string; id?: string },
  change: (trx: Kysely<Database>, decision: Decision) => Promise<T>,
): Promise<T> {
  return authorizeChangeOnRecord(context, { patientId, action: 'document.manage', resource }, change);
}
