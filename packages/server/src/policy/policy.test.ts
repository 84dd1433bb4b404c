import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import { type Action, decide, type Purpose, type ReasonCode } from './policy.ts';

const CAMILLE = '00000000-0000-4000-8000-000000000301';
const LUCAS = '00000000-0000-4000-8000-000000000302';

const actors = {
  camille: { kind: 'patient', accountId: 'acc-camille', patientId: CAMILLE },
  doctor: {
    kind: 'professional',
    accountId: 'acc-bernard',
    professionalId: 'pro-bernard',
    rpps: '10001234565',
    professionCode: '10',
    specialtyCode: 'SM54',
    organizationId: null,
  },
  operator: { kind: 'operator', accountId: 'acc-operator' },
} satisfies Record<string, Actor>;

type Row = [actor: keyof typeof actors, action: Action, patient: string, purpose: Purpose, permit: boolean, reason: ReasonCode, hidden: boolean];

/**
 * The rules, one row each: who × what × whose → decision. Later features add rows here, and the
 * HTTP tests of each route check the same decisions through the route.
 */
const TABLE: Row[] = [
  ['camille', 'patient.read', CAMILLE, 'self-service', true, 'own-record', false],
  ['camille', 'health-data.read', CAMILLE, 'self-service', true, 'own-record', false],
  ['camille', 'health-data.write', CAMILLE, 'self-service', true, 'own-record', false],
  ['camille', 'access-history.read', CAMILLE, 'self-service', true, 'own-record', false],
  ['camille', 'settings.write', CAMILLE, 'self-service', true, 'own-record', false],
  ['camille', 'patient.read', LUCAS, 'self-service', false, 'not-own-record', true],
  ['camille', 'health-data.read', LUCAS, 'self-service', false, 'not-own-record', true],
  ['camille', 'access-history.read', LUCAS, 'self-service', false, 'not-own-record', true],
  ['operator', 'patient.read', CAMILLE, 'support', false, 'operator-no-health-data', true],
  ['operator', 'health-data.read', CAMILLE, 'support', false, 'operator-no-health-data', true],
  ['operator', 'access-history.read', CAMILLE, 'support', false, 'operator-no-health-data', true],
  ['doctor', 'patient.read', CAMILLE, 'care', true, 'professional-care', false],
  ['doctor', 'health-data.read', CAMILLE, 'care', true, 'professional-care', false],
  ['doctor', 'health-data.write', CAMILLE, 'care', true, 'professional-care', false],
  ['doctor', 'health-data.read', CAMILLE, 'support', false, 'purpose-not-allowed', false],
  ['doctor', 'access-history.read', CAMILLE, 'care', false, 'holder-only', false],
  ['doctor', 'settings.write', CAMILLE, 'care', false, 'holder-only', false],
];

describe('the access policy', () => {
  it.each(TABLE)('%s %s on %s for %s → permit %s (%s)', (actor, action, patientId, purpose, permit, reason, hidden) => {
    const decision = decide({ actor: actors[actor], action, patientId, purpose });
    expect({ permit: decision.permit, reason: decision.reason, hidden: decision.hideExistence }).toEqual({
      permit,
      reason,
      hidden,
    });
  });
});
