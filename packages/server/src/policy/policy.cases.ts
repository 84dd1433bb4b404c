import { ACTIONS, type Action, type Purpose, type ReasonCode } from './policy.ts';
import type { CareRole, EmergencyMode, EmergencySwitches, SpaceStatus } from './record-facts.ts';

/**
 * The access rules as a table: who × what × whose record × situation → decision. `policy.test.ts`
 * checks each row against `decide()`, and `policy.http.int.test.ts` checks the same row through the
 * HTTP route that performs the action, so that no route decides on its own. A feature that adds an
 * action or a rule adds its rows here and its route to the HTTP test's map.
 *
 * `record` is whose space is asked for: the actor's own (a patient's), or another patient's. For
 * a professional, "another patient" is the patient whose relationship with them `given` describes.
 */
export interface PolicyCase {
  actor: 'patient' | 'professional' | 'operator';
  action: Action;
  record: 'own' | 'another patient';
  permit: boolean;
  reason: ReasonCode;
  /** Denied as "not found": the actor may not learn that the record (or the document) exists. */
  hidden: boolean;
  /** The purpose recorded, when it is not the actor's usual one (emergency). */
  purpose?: Purpose;
  /** What the patient and the professional have set, the document asked for… */
  given: Situation;
}

/** The situation a row is decided in; everything left out is the plain case. */
export interface Situation {
  /** The professional's TRE_G15 profession (default 10, médecin). */
  profession?: string;
  blocked?: boolean;
  roles?: CareRole[];
  /** The professional has declared the patient's consent. */
  consent?: boolean;
  /** The professional's emergency access in force. */
  emergency?: EmergencyMode;
  /** The patient's emergency switches (default: SAMU and break-the-glass permit, masked deny). */
  switches?: Partial<EmergencySwitches>;
  /** The space's status (default active). */
  space?: SpaceStatus;
  /** `document.read`: the document asked for (filed by another professional unless said). */
  document?: {
    type: string;
    class?: string;
    labels?: string[];
    filedBy?: 'this professional' | 'another professional' | 'the patient';
  };
  /** `emergency.access`: the mode asked for. */
  asks?: EmergencyMode;
}

interface Outcome {
  permit: boolean;
  reason: ReasonCode;
  hidden: boolean;
  purpose?: Purpose;
}

const permit = (reason: ReasonCode, purpose?: Purpose): Outcome => ({ permit: true, reason, hidden: false, ...(purpose ? { purpose } : {}) });
const deny = (reason: ReasonCode): Outcome => ({ permit: false, reason, hidden: false });
const hide = (reason: ReasonCode): Outcome => ({ permit: false, reason, hidden: true });

const row = (
  actor: PolicyCase['actor'],
  action: Action,
  record: PolicyCase['record'],
  outcome: Outcome,
  given: Situation = {},
): PolicyCase => ({ actor, action, record, ...outcome, given });

/** A professional on the patient's record, in a situation. */
const pro = (action: Action, given: Situation, outcome: Outcome) => row('professional', action, 'another patient', outcome, given);

// Document types of the rows (JDV_J07).
const CONSULTATION_REPORT = '11488-4';
const PSYCHIATRIC_SYNTHESIS = '68599-0';
const DELIVERY_REPORT = '15508-5';
const RESIDENCE_CERTIFICATE = 'ATTEST-RESID';
const STYLE_SHEET = 'FEUILLE-DE-STYLE';
const report = (labels: string[] = [], filedBy?: NonNullable<Situation['document']>['filedBy']) => ({
  type: CONSULTATION_REPORT,
  labels,
  ...(filedBy ? { filedBy } : {}),
});

const HOLDER_ACTIONS = ['access-history.read', 'settings.read', 'settings.write', 'care-team.read', 'care-team.write', 'document.manage'] as const;
/** Rows that need a document or a mode to be asked at all. */
const plainGiven = (action: Action): Situation =>
  action === 'document.read' ? { document: report() } : action === 'emergency.access' ? { asks: 'break-the-glass' } : {};

export const POLICY_CASES: readonly PolicyCase[] = [
  // The holder on their own space: everything…
  ...['patient.read', 'access-history.read', 'settings.read', 'settings.write', 'care-team.read', 'care-team.write', 'document.search', 'document.manage'].map(
    (action) => row('patient', action as Action, 'own', permit('own-record')),
  ),
  row('patient', 'document.read', 'own', permit('own-record'), { document: report() }),
  row('patient', 'document.read', 'own', permit('own-record'), { document: report(['MASQUE_PS']) }),
  // …hidden from legal representatives is about them, not the holder.
  row('patient', 'document.read', 'own', permit('own-record'), { document: report(['INVISIBLE_REPRESENTANTS_LEGAUX']) }),
  // …except a document a professional has not announced yet: absent for the patient.
  row('patient', 'document.read', 'own', hide('hidden-from-patient'), { document: report(['INVISIBLE_PATIENT']) }),
  row('patient', 'document.file', 'own', permit('own-record')),
  row('patient', 'document.file', 'own', deny('space-not-active'), { space: 'closed' }),
  row('patient', 'document.file', 'own', deny('space-not-active'), { space: 'opposed' }),
  // Consent declarations and emergency access are a professional's.
  row('patient', 'consent.declare', 'own', deny('professional-only')),
  row('patient', 'emergency.access', 'own', deny('professional-only'), { asks: 'break-the-glass' }),
  // Another patient's space does not exist for them.
  ...ACTIONS.map((action) => row('patient', action, 'another patient', hide('not-own-record'), plainGiven(action))),
  // Operator staff run the service and never see a person's record, not even that it exists.
  ...ACTIONS.map((action) => row('operator', action, 'another patient', hide('operator-no-health-data'), plainGiven(action))),

  // A professional reads whose record it is; the holder's own history, choices and controls stay
  // theirs, whatever role the holder gave the professional.
  pro('patient.read', {}, permit('professional-care')),
  ...HOLDER_ACTIONS.map((action) => pro(action, {}, deny('holder-only'))),
  pro('care-team.write', { roles: ['MEDECIN_TRAITANT'], consent: true }, deny('holder-only')),
  pro('document.manage', { roles: ['ADMINISTRATEUR'], consent: true }, deny('holder-only')),

  // Blocked: nothing at all, not their own documents, not in an emergency, not filing.
  pro('patient.read', { blocked: true }, deny('blocked-by-patient')),
  pro('document.read', { blocked: true, consent: true, document: report() }, deny('blocked-by-patient')),
  pro('document.read', { blocked: true, document: report([], 'this professional') }, deny('blocked-by-patient')),
  pro('document.read', { blocked: true, emergency: 'break-the-glass', document: report() }, deny('blocked-by-patient')),
  pro('document.read', { blocked: true, roles: ['MEDECIN_TRAITANT'], consent: true, document: report() }, deny('blocked-by-patient')),
  pro('document.search', { blocked: true, consent: true }, deny('blocked-by-patient')),
  pro('document.file', { blocked: true }, deny('blocked-by-patient')),
  pro('consent.declare', { blocked: true }, deny('blocked-by-patient')),
  pro('emergency.access', { blocked: true, asks: 'break-the-glass' }, deny('blocked-by-patient')),
  pro('emergency.access', { blocked: true, asks: 'samu-regulation' }, deny('blocked-by-patient')),

  // Filing needs no consultation right, only an open space.
  pro('document.file', {}, permit('professional-filing')),
  pro('document.file', { space: 'closed' }, deny('space-not-active')),
  pro('document.file', { space: 'opposed' }, deny('space-not-active')),

  // Consent: declared by the professional on an open space.
  pro('consent.declare', {}, permit('consent-declared')),
  pro('consent.declare', { space: 'closed' }, deny('space-not-active')),

  // Reading: the author always reads their own documents…
  pro('document.read', { document: report([], 'this professional') }, permit('author')),
  pro('document.read', { document: report(['MASQUE_PS'], 'this professional') }, permit('author')),
  // …anything else needs a consent declaration or an emergency access, the treating doctor included.
  pro('document.read', { document: report() }, deny('no-consent')),
  pro('document.read', { document: report([], 'the patient') }, deny('no-consent')),
  pro('document.read', { roles: ['MEDECIN_TRAITANT'], document: report() }, deny('no-consent')),
  pro('document.read', { consent: true, document: report() }, permit('consent-declared')),
  pro('document.read', { consent: true, document: report([], 'the patient') }, permit('consent-declared')),
  pro('document.read', { consent: true, space: 'closed', document: report() }, deny('space-not-active')),
  // Hidden from the patient is about the patient: professionals read it.
  pro('document.read', { consent: true, document: report(['INVISIBLE_PATIENT']) }, permit('consent-declared')),
  // The access matrix: what the profession may read at all.
  pro('document.read', { consent: true, document: { type: RESIDENCE_CERTIFICATE } }, hide('matrix-denies')),
  pro('document.read', { consent: true, profession: '60', document: report() }, permit('consent-declared')),
  pro('document.read', { consent: true, profession: '60', document: { type: PSYCHIATRIC_SYNTHESIS } }, hide('matrix-denies')),
  pro('document.read', { consent: true, profession: '21', document: { type: DELIVERY_REPORT } }, hide('matrix-denies')),
  pro('document.read', { consent: true, profession: '50', document: { type: DELIVERY_REPORT } }, permit('consent-declared')),
  // A profession the matrix does not list reads nothing; a style sheet is for everyone listed.
  pro('document.read', { consent: true, profession: '93', document: report() }, hide('matrix-denies')),
  pro('document.read', { consent: true, profession: '26', document: { type: STYLE_SHEET } }, permit('consent-declared')),
  pro('document.read', { consent: true, profession: '26', document: { type: PSYCHIATRIC_SYNTHESIS } }, hide('matrix-denies')),
  // A type outside JDV_J07 follows the known types of its class, else nothing.
  pro('document.read', { consent: true, document: { type: 'X-LOCAL-CR', class: '10' } }, permit('consent-declared')),
  pro('document.read', { consent: true, document: { type: 'X-LOCAL-GESTION', class: '95' } }, hide('matrix-denies')),
  pro('document.read', { consent: true, document: { type: 'X-LOCAL' } }, hide('matrix-denies')),
  // Masked documents: the author, the treating doctor and administrators only.
  pro('document.read', { consent: true, document: report(['MASQUE_PS']) }, hide('masked')),
  pro('document.read', { consent: true, roles: ['MEDECIN_TRAITANT'], document: report(['MASQUE_PS']) }, permit('treating-doctor')),
  pro('document.read', { consent: true, profession: '60', roles: ['ADMINISTRATEUR'], document: report(['MASQUE_PS']) }, permit('administrator')),
  pro('document.read', { consent: true, profession: '50', roles: ['SAGE_FEMME_REFERENTE'], document: report(['MASQUE_PS']) }, hide('masked')),
  pro('document.read', { consent: true, profession: '21', roles: ['PHARMACIEN_CORRESPONDANT'], document: report(['MASQUE_PS']) }, hide('masked')),
  // The treating doctor and administrators see every document, whatever the matrix.
  pro('document.read', { consent: true, roles: ['MEDECIN_TRAITANT'], document: { type: RESIDENCE_CERTIFICATE } }, permit('treating-doctor')),
  pro('document.read', { consent: true, profession: '60', roles: ['ADMINISTRATEUR'], document: { type: PSYCHIATRIC_SYNTHESIS } }, permit('administrator')),

  // Emergency access: opened when the patient's matching switch permits it…
  pro('emergency.access', { asks: 'break-the-glass' }, permit('break-the-glass', 'emergency')),
  pro('emergency.access', { asks: 'break-the-glass', profession: '60' }, permit('break-the-glass', 'emergency')),
  pro('emergency.access', { asks: 'break-the-glass', switches: { breakTheGlass: 'deny' } }, deny('emergency-refused-by-patient')),
  pro('emergency.access', { asks: 'samu-regulation' }, permit('samu-regulation', 'emergency')),
  pro('emergency.access', { asks: 'samu-regulation', switches: { samuRegulation: 'deny' } }, deny('emergency-refused-by-patient')),
  pro('emergency.access', { asks: 'samu-regulation', profession: '60' }, deny('regulation-physicians-only')),
  pro('emergency.access', { asks: 'break-the-glass', space: 'closed' }, deny('space-not-active')),
  // …then reads within the matrix, audited with purpose emergency; masked documents per MASKED.
  pro('document.read', { emergency: 'break-the-glass', document: report() }, permit('break-the-glass', 'emergency')),
  pro('document.read', { emergency: 'samu-regulation', document: report() }, permit('samu-regulation', 'emergency')),
  pro('document.read', { emergency: 'break-the-glass', profession: '60', document: { type: PSYCHIATRIC_SYNTHESIS } }, hide('matrix-denies')),
  pro('document.read', { emergency: 'break-the-glass', document: report(['MASQUE_PS']) }, hide('masked')),
  pro(
    'document.read',
    { emergency: 'break-the-glass', switches: { maskedInEmergency: 'permit' }, document: report(['MASQUE_PS']) },
    permit('break-the-glass', 'emergency'),
  ),
  pro(
    'document.read',
    { consent: true, emergency: 'samu-regulation', switches: { maskedInEmergency: 'permit' }, document: report(['MASQUE_PS']) },
    permit('samu-regulation', 'emergency'),
  ),

  // Searching: the same rules, as a restriction the store applies (policy.test.ts checks that a
  // document matches it exactly when reading it is permitted).
  pro('document.search', {}, permit('author')),
  pro('document.search', { consent: true }, permit('consent-declared')),
  pro('document.search', { consent: true, profession: '60' }, permit('consent-declared')),
  pro('document.search', { consent: true, roles: ['MEDECIN_TRAITANT'] }, permit('treating-doctor')),
  pro('document.search', { consent: true, roles: ['ADMINISTRATEUR'] }, permit('administrator')),
  pro('document.search', { emergency: 'break-the-glass' }, permit('break-the-glass', 'emergency')),
  pro('document.search', { consent: true, emergency: 'break-the-glass', switches: { maskedInEmergency: 'permit' } }, permit('consent-declared', 'emergency')),
  pro('document.search', { consent: true, space: 'closed' }, deny('space-not-active')),
];
