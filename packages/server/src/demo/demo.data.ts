import { INS_OID } from '@carnet/shared';

/**
 * The demo population. Fixed ids make `npm run demo` reseed the same people; INS use the test OID
 * (accepted only in demo mode) and every identifier carries a valid key.
 */
export const DEMO_ORGANIZATIONS = [
  {
    organization_id: '00000000-0000-4000-8000-000000000101',
    finess: '750000010',
    name: 'Centre hospitalier de démonstration',
  },
] as const;

export const DEMO_PROFESSIONALS = [
  {
    professional_id: '00000000-0000-4000-8000-000000000201',
    rpps: '10001234565',
    family_name: 'BERNARD',
    given_name: 'Claire',
    profession_code: '10',
    specialty_code: 'SM54',
    organization_id: '00000000-0000-4000-8000-000000000101',
  },
  {
    professional_id: '00000000-0000-4000-8000-000000000202',
    rpps: '10002345675',
    family_name: 'MOREAU',
    given_name: 'Thomas',
    profession_code: '60',
    specialty_code: null,
    organization_id: '00000000-0000-4000-8000-000000000101',
  },
  {
    professional_id: '00000000-0000-4000-8000-000000000203',
    rpps: '10003456786',
    family_name: 'ROUX',
    given_name: 'Sophie',
    profession_code: '21',
    specialty_code: null,
    organization_id: null,
  },
] as const;

export const DEMO_PATIENTS = [
  {
    patient_id: '00000000-0000-4000-8000-000000000301',
    birth_family_name: 'DURAND',
    first_names: 'CAMILLE ANNE',
    birth_date: '1984-03-15',
    sex: 'F',
    birthplace_code: '75112',
    ins_matricule: '284037511201238',
    ins_oid: INS_OID.testNir,
  },
  {
    patient_id: '00000000-0000-4000-8000-000000000302',
    birth_family_name: 'MARTIN',
    first_names: 'LUCAS',
    birth_date: '1975-06-02',
    sex: 'M',
    birthplace_code: '69123',
    ins_matricule: '175066912300429',
    ins_oid: INS_OID.testNir,
  },
  {
    patient_id: '00000000-0000-4000-8000-000000000303',
    birth_family_name: 'PETIT',
    first_names: 'LEA',
    birth_date: '2016-07-20',
    sex: 'F',
    birthplace_code: '13055',
    ins_matricule: '216071305500139',
    ins_oid: INS_OID.testNir,
  },
  {
    patient_id: '00000000-0000-4000-8000-000000000304',
    birth_family_name: 'LEROY',
    first_names: 'JEAN PIERRE',
    birth_date: '1950-11-05',
    sex: 'M',
    birthplace_code: '2A004',
    ins_matricule: '150112A00400743',
    ins_oid: INS_OID.testNir,
  },
] as const;
