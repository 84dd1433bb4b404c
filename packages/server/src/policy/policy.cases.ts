import type { Action, ReasonCode } from './policy.ts';

/**
 * The access rules as a table: who × what × whose record → decision. `policy.test.ts` checks each
 * row against `decide()`, and `policy.http.int.test.ts` checks the same row through the HTTP
 * route that performs the action, so that no route decides on its own. A feature that adds an
 * action or a rule adds its rows here and its route to the HTTP test's map.
 *
 * `record` is whose space is asked for: the actor's own (a patient's), or another patient's.
 */
export interface PolicyCase {
  actor: 'patient' | 'professional' | 'operator';
  action: Action;
  record: 'own' | 'another patient';
  permit: boolean;
  reason: ReasonCode;
  /** Denied as "not found": the actor may not learn that the record exists. */
  hidden: boolean;
}

const row = (
  actor: PolicyCase['actor'],
  action: Action,
  record: PolicyCase['record'],
  permit: boolean,
  reason: ReasonCode,
  hidden = false,
): PolicyCase => ({ actor, action, record, permit, reason, hidden });

export const POLICY_CASES: readonly PolicyCase[] = [
  // The holder on their own space: everything.
  row('patient', 'patient.read', 'own', true, 'own-record'),
  row('patient', 'access-history.read', 'own', true, 'own-record'),
  row('patient', 'settings.read', 'own', true, 'own-record'),
  row('patient', 'settings.write', 'own', true, 'own-record'),
  // Another patient's space does not exist for them.
  row('patient', 'patient.read', 'another patient', false, 'not-own-record', true),
  row('patient', 'access-history.read', 'another patient', false, 'not-own-record', true),
  row('patient', 'settings.read', 'another patient', false, 'not-own-record', true),
  row('patient', 'settings.write', 'another patient', false, 'not-own-record', true),
  // Operator staff run the service and never see a person's record, not even that it exists.
  row('operator', 'patient.read', 'another patient', false, 'operator-no-health-data', true),
  row('operator', 'access-history.read', 'another patient', false, 'operator-no-health-data', true),
  row('operator', 'settings.read', 'another patient', false, 'operator-no-health-data', true),
  row('operator', 'settings.write', 'another patient', false, 'operator-no-health-data', true),
  // A professional caring for the patient reads whose record it is; the holder's own history and
  // choices stay theirs.
  row('professional', 'patient.read', 'another patient', true, 'professional-care'),
  row('professional', 'access-history.read', 'another patient', false, 'holder-only'),
  row('professional', 'settings.read', 'another patient', false, 'holder-only'),
  row('professional', 'settings.write', 'another patient', false, 'holder-only'),
];
