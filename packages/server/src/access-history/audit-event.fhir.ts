import type { HistoryEntry } from './access-history.service.ts';

/** v3-ActReason codes for Carnet's purposes (AuditEvent.purposeOfEvent). */
const PURPOSE_OF_USE: Record<string, { code: string; display: string }> = {
  'self-service': { code: 'PATRQT', display: 'patient requested' },
  care: { code: 'TREAT', display: 'treatment' },
  support: { code: 'HOPERAT', display: 'healthcare operations' },
};

const LOGIN_ACTIONS = new Set(['login', 'login.failed', 'logout']);

/** C, R, U, D or E (AuditEvent.action) from Carnet's action names (`<thing>.<verb>`). */
function actionCode(action: string): string {
  if (action.endsWith('.read')) return 'R';
  if (action.endsWith('.write')) return 'U';
  return 'E';
}

/**
 * One entry of a patient's chain as a FHIR R4 AuditEvent, in the shape of IHE Basic Audit Log
 * Patterns (BALP): the patient as an entity, the actor as the requesting agent with their national
 * identifier and network address, the outcome, the purpose of use. The id is the entry's place in
 * the chain, `<patient id>.<seq>`.
 */
export function auditEventResource({ entry, actor, onBehalfOf }: HistoryEntry) {
  const purpose = entry.purpose === null ? undefined : PURPOSE_OF_USE[entry.purpose];
  return {
    resourceType: 'AuditEvent',
    id: `${entry.patientId}.${entry.seq}`,
    type: LOGIN_ACTIONS.has(entry.action)
      ? { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110114', display: 'User Authentication' }
      : { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: 'urn:carnet:audit-action', code: entry.action }],
    action: actionCode(entry.action),
    recorded: entry.occurredAt.toISOString(),
    outcome: entry.outcome === 'permit' ? '0' : '4',
    outcomeDesc: entry.reason,
    ...(purpose === undefined
      ? {}
      : { purposeOfEvent: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', ...purpose }] }] }),
    agent: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: 'humanuser', display: 'human user' }] },
        who: agentWho(entry, actor),
        requestor: true,
        ...(entry.sourceIp === null ? {} : { network: { address: entry.sourceIp, type: '2' } }),
      },
      ...(onBehalfOf === null
        ? []
        : [
            {
              type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass', code: 'PAT', display: 'patient' }] },
              who: { display: onBehalfOf.name ?? entry.onBehalfOf },
              requestor: false,
            },
          ]),
    ],
    source: {
      observer: { display: 'Carnet' },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    entity: [
      {
        what: { reference: `Patient/${entry.patientId}` },
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
        role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
      },
      ...(entry.resourceType === null || entry.resourceType === 'Patient'
        ? []
        : [
            {
              what: entry.resourceId === null ? { type: entry.resourceType } : { reference: `${entry.resourceType}/${entry.resourceId}` },
              type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
              role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '4', display: 'Domain Resource' },
            },
          ]),
    ],
  };
}

/** The agent: a professional by their national identifier (IDNPS = 8 + RPPS), the holder as the Patient. */
function agentWho(entry: HistoryEntry['entry'], actor: HistoryEntry['actor']) {
  if (actor.self) return { reference: `Patient/${entry.patientId}`, display: actor.name ?? undefined };
  if (actor.rpps !== undefined) {
    return { identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: `8${actor.rpps}` }, display: actor.name ?? undefined };
  }
  if (entry.actorType === 'operator') return { display: 'Carnet support' };
  return { display: actor.name ?? entry.actorType };
}
