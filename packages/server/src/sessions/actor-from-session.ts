import type { Actor } from '../policy/actor.ts';
import type { SessionRecord } from './session.repository.ts';

/**
 * The Actor a full session acts as (policy/actor.ts). A session still waiting for its second
 * factor has none: without an Actor, no policy decision can permit anything (ASVS 5.0 6.3.3).
 */
export function actorFromSession(session: SessionRecord): Actor | undefined {
  if (session.stage !== 'full') return undefined;
  const { account, accountId, sessionId } = session;
  switch (account.kind) {
    case 'patient':
      return account.patientId === null ? undefined : { kind: 'patient', accountId, patientId: account.patientId, sessionId };
    case 'professional':
      return account.professional === null
        ? undefined
        : {
            kind: 'professional',
            accountId,
            professionalId: account.professional.professionalId,
            rpps: account.professional.rpps,
            professionCode: account.professional.professionCode,
            specialtyCode: account.professional.specialtyCode,
            organizationId: account.professional.organizationId,
            sessionId,
          };
    case 'operator':
      return { kind: 'operator', accountId, sessionId };
  }
}
