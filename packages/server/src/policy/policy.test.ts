import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import { POLICY_CASES } from './policy.cases.ts';
import { ACTIONS, decide, purposeOf } from './policy.ts';

const CAMILLE = '00000000-0000-4000-8000-000000000301';
const LUCAS = '00000000-0000-4000-8000-000000000302';

const actors = {
  patient: { kind: 'patient', accountId: 'acc-camille', patientId: CAMILLE },
  professional: {
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

describe('the access policy', () => {
  it.each(POLICY_CASES)('$actor $action on $record record → permit $permit ($reason)', (c) => {
    const actor = actors[c.actor];
    const decision = decide({ actor, action: c.action, patientId: c.record === 'own' ? CAMILLE : LUCAS, purpose: purposeOf(actor) });
    expect({ permit: decision.permit, reason: decision.reason, hidden: decision.hideExistence }).toEqual({
      permit: c.permit,
      reason: c.reason,
      hidden: c.hidden,
    });
  });

  it('has a rule for every kind of actor on every action', () => {
    for (const actor of Object.keys(actors)) {
      for (const action of ACTIONS) {
        expect(POLICY_CASES.some((c) => c.actor === actor && c.action === action), `${actor} ${action}`).toBe(true);
      }
    }
  });
});
