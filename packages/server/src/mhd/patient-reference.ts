import { INS_OID, isAcceptedInsOid, isValidNir } from '@carnet/shared';
import { arrayAt, isObject, objectAt, stringAt } from './json-shape.ts';
import type { Problems } from '../documents/filing-problems.ts';

/** How a submission names the patient: by INS (the rule) or by the id Carnet gave their space. */
export type PatientKey = { kind: 'ins'; matricule: string; oid: string } | { kind: 'id'; id: string };

export const samePatientKey = (a: PatientKey, b: PatientKey) =>
  a.kind === 'ins' && b.kind === 'ins' ? a.matricule === b.matricule && a.oid === b.oid : a.kind === 'id' && b.kind === 'id' && a.id === b.id;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads a subject reference, in one of the forms MHD senders use:
 * - a conditional reference `Patient?identifier=urn:oid:1.2.250.1.213.1.4.8|<matricule>`;
 * - a logical reference `{ identifier: { system: 'urn:oid:…', value } }`;
 * - a reference to a Patient entry of the bundle (its fullUrl), which carries the INS;
 * - `Patient/<id>`, the id Carnet's `Patient?identifier=` search returned.
 */
export function readPatientReference(
  reference: unknown,
  location: string,
  problems: Problems,
  context: { patientEntries: ReadonlyMap<string, { resource: unknown; location: string }>; acceptTestIns: boolean },
): PatientKey | undefined {
  if (!isObject(reference)) {
    problems.add(location, 'The patient is required: a reference to the patient identified by their INS.', 'required');
    return undefined;
  }
  const ref = stringAt(reference, 'reference');
  if (ref !== undefined) {
    if (ref.startsWith('Patient?')) {
      const token = new URLSearchParams(ref.slice('Patient?'.length)).get('identifier');
      if (token === null) {
        problems.add(`${location}.reference`, 'A conditional patient reference searches by identifier: Patient?identifier=urn:oid:<INS OID>|<INS>.');
        return undefined;
      }
      const bar = token.indexOf('|');
      return checkIns(bar < 0 ? undefined : token.slice(0, bar), bar < 0 ? token : token.slice(bar + 1), `${location}.reference`, problems, context.acceptTestIns);
    }
    const entry = context.patientEntries.get(ref);
    if (entry !== undefined) return insOfPatientResource(entry.resource, entry.location, problems, context.acceptTestIns);
    const match = /^Patient\/([^/]+)$/.exec(ref);
    if (match !== null && UUID.test(match[1]!)) return { kind: 'id', id: match[1]!.toLowerCase() };
    problems.add(
      `${location}.reference`,
      'The patient reference must be Patient?identifier=<INS>, a Patient entry of this bundle, or Patient/<id> as Carnet returned it.',
      'not-found',
    );
    return undefined;
  }
  const identifier = objectAt(reference, 'identifier');
  if (identifier !== undefined) {
    return checkIns(stringAt(identifier, 'system'), stringAt(identifier, 'value'), `${location}.identifier`, problems, context.acceptTestIns);
  }
  problems.add(location, 'The patient reference needs a reference or an INS identifier.', 'required');
  return undefined;
}

/** The INS of a Patient resource sent in the bundle: its identifier with an INS OID system. */
function insOfPatientResource(resource: unknown, location: string, problems: Problems, acceptTestIns: boolean): PatientKey | undefined {
  const identifiers = arrayAt(resource, 'identifier');
  const index = identifiers.findIndex((identifier) => isInsSystem(stringAt(identifier, 'system')));
  if (index < 0) {
    problems.add(`${location}.resource.identifier`, 'The Patient entry must carry the INS: an identifier with system urn:oid:<INS OID>.', 'required');
    return undefined;
  }
  const identifier = identifiers[index];
  return checkIns(stringAt(identifier, 'system'), stringAt(identifier, 'value'), `${location}.resource.identifier[${index}]`, problems, acceptTestIns);
}

const INS_OIDS: readonly string[] = Object.values(INS_OID);
const isInsSystem = (system: string | undefined) => system !== undefined && INS_OIDS.includes(system.replace(/^urn:oid:/, ''));

function checkIns(
  system: string | undefined,
  value: string | undefined,
  location: string,
  problems: Problems,
  acceptTestIns: boolean,
): PatientKey | undefined {
  const oid = system?.replace(/^urn:oid:/, '');
  let ok = true;
  if (oid === undefined || system === oid || !INS_OIDS.includes(oid)) {
    problems.add(location, `The patient identifier system must be an INS OID: urn:oid:${INS_OID.nir} (NIR) or urn:oid:${INS_OID.nia} (NIA).`, 'code-invalid');
    ok = false;
  } else if (!isAcceptedInsOid(oid, { demo: acceptTestIns })) {
    problems.add(location, 'Test INS OIDs are accepted only by a demonstration server.', 'code-invalid');
    ok = false;
  }
  const matricule = value?.toUpperCase();
  if (matricule === undefined || !isValidNir(matricule)) {
    problems.add(location, 'The INS matricule must be 15 characters: 13 and their 2-digit key.', 'value');
    ok = false;
  }
  return ok ? { kind: 'ins', matricule: matricule!, oid: oid! } : undefined;
}
