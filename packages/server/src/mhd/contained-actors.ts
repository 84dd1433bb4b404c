import { isValidRpps } from '@carnet/shared';
import { arrayAt, isObject, objectAt, stringAt } from './json-shape.ts';

/** idNat_PS (ASIP/ANS OID): "8" + RPPS for a professional with an RPPS number. */
export const ID_NAT_PS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';
/** The RPPS number itself, as in PDSm's examples. */
export const RPPS_SYSTEM = 'https://rpps.esante.gouv.fr';
/** idNat_Struct: "1" + FINESS, "3" + SIRET… */
export const ID_NAT_STRUCT_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.2';

/** What a DocumentReference's author or a SubmissionSet's source says of a person or body. */
export interface ActorFacts {
  /** The RPPS number when the actor is a professional who has one. */
  rpps: string | undefined;
  /** "Dr Claire BERNARD"-style name, when given. */
  name: string | undefined;
  /** The organisation the actor acts for, when named. */
  organizationName: string | undefined;
}

/**
 * The RPPS of an identifier: `urn:oid:1.2.250.1.71.4.2.1|8<RPPS>` or `https://rpps.esante.gouv.fr|<RPPS>`.
 * Undefined for another system (ADELI, a local id).
 */
export function rppsOfIdentifier(identifier: unknown): string | undefined {
  const system = stringAt(identifier, 'system');
  const value = stringAt(identifier, 'value');
  if (value === undefined) return undefined;
  if (system === ID_NAT_PS_SYSTEM && value.startsWith('8') && isValidRpps(value.slice(1))) return value.slice(1);
  if (system === RPPS_SYSTEM && isValidRpps(value)) return value;
  return undefined;
}

export type ActorReading = { ok: true; facts: ActorFacts } | { ok: false; problem: string };

/**
 * Resolves a reference to an actor contained in the resource (`#id`), or a logical reference
 * carrying an identifier, and reads its RPPS, name and organisation. A PractitionerRole may name
 * its practitioner and organisation through further contained resources.
 */
export function readContainedActor(reference: unknown, contained: readonly unknown[]): ActorReading {
  if (!isObject(reference)) return { ok: false, problem: 'The reference is missing.' };
  const ref = stringAt(reference, 'reference');
  const display = stringAt(reference, 'display');
  if (ref === undefined) {
    const identifier = objectAt(reference, 'identifier');
    if (identifier === undefined) return { ok: false, problem: 'The reference needs a contained resource (#id) or an identifier.' };
    return { ok: true, facts: { rpps: rppsOfIdentifier(identifier), name: display, organizationName: undefined } };
  }
  if (!ref.startsWith('#')) return { ok: false, problem: 'Authors are contained resources: the reference is "#<id>" of an entry of contained.' };
  const resource = findContained(contained, ref.slice(1));
  if (resource === undefined) return { ok: false, problem: 'The reference names no contained resource with this id.' };
  const type = stringAt(resource, 'resourceType');
  switch (type) {
    case 'Practitioner':
      return { ok: true, facts: { rpps: rppsOf(resource), name: nameOf(resource) ?? display, organizationName: undefined } };
    case 'PractitionerRole': {
      const practitioner = referenced(objectAt(resource, 'practitioner'), contained);
      const organization = referenced(objectAt(resource, 'organization'), contained);
      return {
        ok: true,
        facts: {
          rpps: rppsOf(resource) ?? (practitioner === undefined ? undefined : rppsOf(practitioner)),
          name: (practitioner === undefined ? undefined : nameOf(practitioner)) ?? stringAt(objectAt(resource, 'practitioner'), 'display') ?? display,
          organizationName: stringAt(organization, 'name') ?? stringAt(objectAt(resource, 'organization'), 'display'),
        },
      };
    }
    case 'Organization':
      return { ok: true, facts: { rpps: undefined, name: stringAt(resource, 'name') ?? display, organizationName: stringAt(resource, 'name') } };
    case 'Device':
    case 'Patient':
    case 'RelatedPerson':
      return { ok: true, facts: { rpps: undefined, name: display, organizationName: undefined } };
    default:
      return { ok: false, problem: 'An author is a Practitioner, PractitionerRole, Organization, Device or Patient.' };
  }
}

export const findContained = (contained: readonly unknown[], id: string) =>
  contained.find((resource) => stringAt(resource, 'id') === id);

function referenced(reference: unknown, contained: readonly unknown[]) {
  const ref = stringAt(reference, 'reference');
  return ref?.startsWith('#') ? findContained(contained, ref.slice(1)) : undefined;
}

const rppsOf = (resource: unknown) => arrayAt(resource, 'identifier').map(rppsOfIdentifier).find((rpps) => rpps !== undefined);

/** "Claire BERNARD" from HumanName, with the prefix ("Dr") when given. */
function nameOf(resource: unknown): string | undefined {
  const name = arrayAt(resource, 'name')[0];
  if (!isObject(name)) return undefined;
  const text = stringAt(name, 'text');
  if (text !== undefined) return text.slice(0, 200);
  const parts = [
    ...arrayAt(name, 'prefix').filter((p): p is string => typeof p === 'string'),
    ...arrayAt(name, 'given').filter((g): g is string => typeof g === 'string'),
    stringAt(name, 'family'),
  ].filter((p): p is string => p !== undefined && p !== '');
  return parts.length === 0 ? undefined : parts.join(' ').slice(0, 200);
}
