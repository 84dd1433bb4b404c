import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { AUTHOR_TAG } from '../documents/stored-document.ts';
import { badRequest } from '../errors.ts';
import { findPatientIdByIns } from '../patients/patients.repository.ts';
import { ID_NAT_PS_SYSTEM, RPPS_SYSTEM } from './contained-actors.ts';

/**
 * IHE ITI-67 Find Document References as PDSm asks it (st_recherche_fiche: "must include patient
 * or patient.identifier, and status"), turned into the FHIR store's search:
 * - `patient.identifier=<INS OID>|<INS>` → `patient=Patient/<id>` (undefined when no space has it);
 * - `isArchived=false` → `isArchived:not=true` (a document never archived has no value);
 * - `author.identifier=<idNat_PS or RPPS>` → the author tag (authors are contained resources,
 *   which reference search parameters do not reach);
 * - `relatesTo` → R4's `relatesto`.
 * Every other parameter goes to the store as it is, which refuses what it does not serve (400).
 */
export async function translateFindDocumentReferences(db: Kysely<Database>, query: readonly [string, string][]): Promise<[string, string][] | undefined> {
  const names = new Set(query.map(([name]) => name.split(':')[0]));
  if (!names.has('patient') && !names.has('patient.identifier')) {
    throw badRequest('ITI-67 needs the patient: patient=Patient/<id> or patient.identifier=urn:oid:<INS OID>|<INS>.', 'patient');
  }
  if (!names.has('status')) throw badRequest('ITI-67 needs status (current, superseded or entered-in-error).', 'status');
  const translated: [string, string][] = [];
  for (const [name, value] of query) {
    switch (name) {
      case 'patient.identifier': {
        const patientId = await patientOfIns(db, value);
        if (patientId === undefined) return undefined;
        translated.push(['patient', `Patient/${patientId}`]);
        break;
      }
      case 'isArchived':
        if (value !== 'true' && value !== 'false') throw badRequest('isArchived is true or false.', 'isArchived');
        translated.push([value === 'true' ? 'isArchived' : 'isArchived:not', 'true']);
        break;
      case 'author.identifier':
        translated.push(['_tag', value.split(',').map((token) => `${AUTHOR_TAG}|${idNatPsOf(token)}`).join(',')]);
        break;
      case 'relatesTo':
        translated.push(['relatesto', value]);
        break;
      default:
        translated.push([name, value]);
    }
  }
  return translated;
}

/** The space of `system|value` with an INS OID system, or undefined. */
async function patientOfIns(db: Kysely<Database>, token: string): Promise<string | undefined> {
  const bar = token.indexOf('|');
  const value = (bar < 0 ? token : token.slice(bar + 1)).toUpperCase();
  if (!/^[0-9AB]{15}$/.test(value)) throw badRequest('patient.identifier is an INS: urn:oid:<INS OID>|<15-character matricule>.', 'patient.identifier');
  return findPatientIdByIns(db, value);
}

/** "8" + RPPS from `urn:oid:1.2.250.1.71.4.2.1|8<RPPS>`, `https://rpps.esante.gouv.fr|<RPPS>`, or the bare value. */
function idNatPsOf(token: string): string {
  const bar = token.indexOf('|');
  const system = bar < 0 ? undefined : token.slice(0, bar);
  const value = bar < 0 ? token : token.slice(bar + 1);
  if (system === RPPS_SYSTEM || (system === undefined && /^\d{11}$/.test(value))) return `8${value}`;
  if (system !== undefined && system !== ID_NAT_PS_SYSTEM) throw badRequest('author.identifier is an idNat_PS (urn:oid:1.2.250.1.71.4.2.1|8<RPPS>) or an RPPS.', 'author.identifier');
  return value;
}
