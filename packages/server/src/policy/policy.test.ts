import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accessMatrixOf, DEFAULT_ACCESS_MATRIX_FILE, parseAccessMatrixFile } from '../care-team/access-matrix.file.ts';
import { classCodeOf, DOCUMENT_TYPES } from '../codes/document-types.ts';
import type { SearchRestriction } from '../fhir-store/search-restriction.ts';
import { matrixRowOf } from './access-matrix.ts';
import type { Actor, ProfessionalActor } from './actor.ts';
import { POLICY_CASES, type PolicyCase, type Situation } from './policy.cases.ts';
import { ACTIONS, type AccessRequest, decide, filerOfPatient, filerOfProfessional, purposeOf } from './policy.ts';
import { type CareRole, DEFAULT_EMERGENCY_SWITCHES, type DocumentFacts, type RecordFacts } from './record-facts.ts';

const CAMILLE = '00000000-0000-4000-8000-000000000301';
const LUCAS = '00000000-0000-4000-8000-000000000302';
const OTHER_RPPS = '10003456786';

const professional = (professionCode = '10'): ProfessionalActor => ({
  kind: 'professional',
  accountId: 'acc-bernard',
  professionalId: 'pro-bernard',
  rpps: '10001234565',
  professionCode,
  specialtyCode: null,
  organizationId: null,
});

const actors = {
  patient: { kind: 'patient', accountId: 'acc-camille', patientId: CAMILLE },
  professional: professional(),
  operator: { kind: 'operator', accountId: 'acc-operator' },
} satisfies Record<string, Actor>;

const matrix = accessMatrixOf(parseAccessMatrixFile(readFileSync(DEFAULT_ACCESS_MATRIX_FILE, 'utf8')));

function factsOf(given: Situation): RecordFacts {
  return {
    spaceStatus: given.space ?? 'active',
    care: {
      blocked: given.blocked ?? false,
      roles: given.roles ?? [],
      consentDeclaredAt: given.consent ? new Date('2026-03-01T08:00:00Z') : null,
      emergency: given.emergency ? { mode: given.emergency, expiresAt: new Date('2026-03-01T12:00:00Z') } : null,
      switches: { ...DEFAULT_EMERGENCY_SWITCHES, ...given.switches },
      matrix: matrixRowOf(matrix, given.profession ?? '10'),
    },
  };
}

function documentOf(given: Situation, patientId: string): DocumentFacts | undefined {
  const document = given.document;
  if (document === undefined) return undefined;
  const filedBy = document.filedBy ?? 'another professional';
  return {
    typeCode: document.type,
    ...(document.class === undefined ? {} : { classCode: document.class }),
    securityLabels: document.labels ?? [],
    filer:
      filedBy === 'this professional'
        ? filerOfProfessional(actors.professional.rpps)
        : filedBy === 'the patient'
          ? filerOfPatient(patientId)
          : filerOfProfessional(OTHER_RPPS),
  };
}

function requestOf(c: PolicyCase): AccessRequest {
  const actor = c.actor === 'professional' ? professional(c.given.profession) : actors[c.actor];
  const patientId = c.record === 'own' ? CAMILLE : LUCAS;
  const document = documentOf(c.given, patientId);
  return {
    actor,
    action: c.action,
    patientId,
    purpose: purposeOf(actor),
    facts: factsOf(c.given),
    ...(document === undefined ? {} : { document }),
    ...(c.given.asks === undefined ? {} : { emergencyMode: c.given.asks }),
  };
}

const describeGiven = (given: Situation) => (Object.keys(given).length === 0 ? '' : ` given ${JSON.stringify(given)}`);

describe('the access policy', () => {
  it.each(POLICY_CASES.map((c) => ({ ...c, situation: describeGiven(c.given) })))(
    '$actor $action on $record record$situation → permit $permit ($reason)',
    (c) => {
      const decision = decide(requestOf(c));
      expect({ permit: decision.permit, reason: decision.reason, hidden: decision.hideExistence, purpose: decision.purpose }).toEqual({
        permit: c.permit,
        reason: c.reason,
        hidden: c.hidden,
        purpose: c.purpose ?? purposeOf(requestOf(c).actor),
      });
    },
  );

  it('has a rule for every kind of actor on every action', () => {
    for (const actor of Object.keys(actors)) {
      for (const action of ACTIONS) {
        expect(POLICY_CASES.some((c) => c.actor === actor && c.action === action), `${actor} ${action}`).toBe(true);
      }
    }
  });

  it('refuses a professional whose relationship with the patient was not loaded, rather than guessing', () => {
    const decision = decide({ actor: actors.professional, action: 'patient.read', patientId: LUCAS, purpose: 'care' });
    expect(decision).toMatchObject({ permit: false, reason: 'facts-missing' });
  });
});

/** What the store does with a restriction, on the search values a document would be indexed under. */
function matches(restriction: SearchRestriction, document: DocumentFacts): boolean {
  switch (restriction.kind) {
    case 'everything':
      return true;
    case 'nothing':
      return false;
    case 'all-of':
      return restriction.restrictions.every((r) => matches(r, document));
    case 'any-of':
      return restriction.restrictions.some((r) => matches(r, document));
    case 'token': {
      const values = searchValues(document, restriction.param);
      const hit = restriction.codes.some((c) => values.some((v) => v.code === c.code && (c.system === undefined || c.system === v.system)));
      return restriction.negate ? !hit : hit;
    }
  }
}

function searchValues(document: DocumentFacts, param: string): { system?: string; code: string }[] {
  switch (param) {
    case 'type':
      return [{ code: document.typeCode }];
    case 'category': {
      const classCode = classCodeOf(document.typeCode) ?? document.classCode;
      return classCode === undefined ? [] : [{ code: classCode }];
    }
    case 'security-label':
      return document.securityLabels.map((code) => ({ code }));
    case 'filer':
      return document.filer === null ? [] : [{ system: document.filer.system, code: document.filer.value }];
    default:
      throw new Error(`The restriction uses the search parameter ${param}, which documents are not indexed under.`);
  }
}

describe('a search restriction', () => {
  const filers = [filerOfProfessional(actors.professional.rpps), filerOfProfessional(OTHER_RPPS), filerOfPatient(LUCAS)];
  const labelSets = [[], ['N', 'MASQUE_PS'], ['INVISIBLE_PATIENT']];
  const types = [
    ...DOCUMENT_TYPES.map((t) => ({ typeCode: t.code })),
    { typeCode: 'X-LOCAL-CR', classCode: '10' },
    { typeCode: 'X-LOCAL-GESTION', classCode: '95' },
    { typeCode: 'X-LOCAL' },
  ];
  const documents: DocumentFacts[] = types.flatMap((type) =>
    labelSets.flatMap((securityLabels) => filers.map((filer) => ({ ...type, securityLabels, filer }))),
  );
  const situations: Situation[] = [];
  for (const profession of ['10', '60', '21', '26', '93'])
    for (const roles of [[], ['MEDECIN_TRAITANT'], ['ADMINISTRATEUR'], ['SAGE_FEMME_REFERENTE']] as CareRole[][])
      for (const consent of [false, true])
        for (const emergency of [undefined, 'break-the-glass'] as const)
          for (const maskedInEmergency of ['permit', 'deny'] as const)
            situations.push({ profession, roles, consent, ...(emergency ? { emergency } : {}), switches: { maskedInEmergency } });

  it("lets a professional's search return exactly the documents they may read, one by one", () => {
    for (const given of situations) {
      const actor = professional(given.profession);
      const base = { actor, patientId: LUCAS, purpose: 'care' as const, facts: factsOf(given) };
      const search = decide({ ...base, action: 'document.search' });
      expect(search.permit).toBe(true);
      for (const document of documents) {
        const read = decide({ ...base, action: 'document.read', document });
        const found = matches(search.restriction!, document);
        if (found !== read.permit) {
          expect.fail(`${JSON.stringify(given)}: ${JSON.stringify(document)} is ${found ? '' : 'not '}found but reading it is ${read.reason}`);
        }
      }
    }
  });

  it("lets the patient's search return exactly the documents they may read", () => {
    const base = { actor: actors.patient, patientId: CAMILLE, purpose: 'self-service' as const, facts: { spaceStatus: 'active' as const } };
    const search = decide({ ...base, action: 'document.search' });
    for (const document of documents) {
      expect(matches(search.restriction!, document), JSON.stringify(document)).toBe(decide({ ...base, action: 'document.read', document }).permit);
    }
  });

  it('finds nothing but their own documents for a professional without consent', () => {
    const search = decide({ actor: actors.professional, patientId: LUCAS, purpose: 'care', facts: factsOf({}), action: 'document.search' });
    expect(search.restriction).toEqual({
      kind: 'token',
      param: 'filer',
      codes: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', code: '810001234565' }],
    });
  });
});
