import type { AccessEntry } from '../../api/access-history.ts';
import type { Messages } from '../../i18n/fr.ts';

type Labels = Messages['accessHistory'];

const known = <T extends object>(table: T, code: string): code is Extract<keyof T, string> => Object.hasOwn(table, code);

/** Who acted, as the patient reads it: "You", the support team, or the name (else the kind of actor). */
export function actorLabel(t: Labels, actor: AccessEntry['actor']): string {
  if (actor.self) return t.you;
  // Operator staff act for the service: the history names the team, never the employee.
  if (actor.type === 'operator') return t.support;
  return actor.name ?? t.actorTypes[actor.type];
}

export function onBehalfOfLabel(t: Labels, onBehalfOf: NonNullable<AccessEntry['onBehalfOf']>): string {
  return onBehalfOf.name === null ? t.onBehalfOfUnknown : t.onBehalfOf.replace('{name}', onBehalfOf.name);
}

/** What was done; an action this version of the app does not know yet still shows its code. */
export function actionLabel(t: Labels, action: string): string {
  return known(t.actions, action) ? t.actions[action] : t.otherAction.replace('{code}', action);
}

export function purposeLabel(t: Labels, purpose: string | null): string {
  if (purpose === null) return t.noPurpose;
  return known(t.purposes, purpose) ? t.purposes[purpose] : t.otherPurpose.replace('{code}', purpose);
}
