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

/**
 * One password for every demo login, documented in README.md. It passes the password policy (a
 * test checks). Demo accounts have no second factor: the first login enrols one.
 */
export const DEMO_PASSWORD = 'carnet-demo-2026';

export const DEMO_ACCOUNTS = [
  {
    account_id: '00000000-0000-4000-8000-000000000401',
    kind: 'patient',
    email: 'camille.durand@demo.carnet.test',
    display_name: 'Camille Durand',
    patient_id: '00000000-0000-4000-8000-000000000301',
    professional_id: null,
  },
  {
    account_id: '00000000-0000-4000-8000-000000000402',
    kind: 'patient',
    email: 'lucas.martin@demo.carnet.test',
    display_name: 'Lucas Martin',
    patient_id: '00000000-0000-4000-8000-000000000302',
    professional_id: null,
  },
  {
    account_id: '00000000-0000-4000-8000-000000000403',
    kind: 'patient',
    email: 'lea.petit@demo.carnet.test',
    display_name: 'Léa Petit',
    patient_id: '00000000-0000-4000-8000-000000000303',
    professional_id: null,
  },
  {
    account_id: '00000000-0000-4000-8000-000000000404',
    kind: 'patient',
    email: 'jean-pierre.leroy@demo.carnet.test',
    display_name: 'Jean Pierre Leroy',
    patient_id: '00000000-0000-4000-8000-000000000304',
    professional_id: null,
  },
  {
    account_id: '00000000-0000-4000-8000-000000000411',
    kind: 'professional',
    email: 'claire.bernard@demo.carnet.test',
    display_name: 'Dr Claire Bernard',
    patient_id: null,
    professional_id: '00000000-0000-4000-8000-000000000201',
  },
  {
    account_id: '00000000-0000-4000-8000-000000000412',
    kind: 'professional',
    email: 'thomas.moreau@demo.carnet.test',
    display_name: 'Thomas Moreau',
    patient_id: null,
    professional_id: '00000000-0000-4000-8000-000000000202',
  },
  {
    account_id: '00000000-0000-4000-8000-000000000413',
    kind: 'professional',
    email: 'sophie.roux@demo.carnet.test',
    display_name: 'Sophie Roux',
    patient_id: null,
    professional_id: '00000000-0000-4000-8000-000000000203',
  },
  {
    account_id: '00000000-0000-4000-8000-000000000421',
    kind: 'operator',
    email: 'ines.garnier@demo.carnet.test',
    display_name: 'Inès Garnier',
    patient_id: null,
    professional_id: null,
  },
] as const;

/**
 * The demo organisation's software, registered with a fixed key pair so that `npm run
 * demo:client-assertion` can sign its client assertions (docs/interop.md, "Getting a token"). Its
 * private key is demo data in the repository (demo-software-client.key.json): public, never for a
 * real installation.
 */
export const DEMO_SOFTWARE_CLIENTS = [
  {
    client_id: 'logiciel-demo',
    name: 'Logiciel de démonstration',
    organization_id: '00000000-0000-4000-8000-000000000101',
    professional_id: null,
    jwks: {
      keys: [
        {
          kty: 'EC',
          crv: 'P-256',
          x: 'eiQAg6kAzFXbH1EUyi--zIuMXMji3HaRuhiZDa-dkXM',
          y: '_DzTVxRXY1LQAFk-MjxFjh7YKm4l6KdP3cl42dgo-2Y',
          kid: 'logiciel-demo-1',
          alg: 'ES256',
          use: 'sig',
        },
      ],
    },
    allowed_scopes: 'system/DocumentReference.cruds system/Binary.cr system/List.crs system/Patient.rs',
  },
] as const;

/**
 * Roles the demo patients gave professionals: Camille Durand declared Dr Claire Bernard her treating
 * doctor (she reads Camille's masked documents, once she declares Camille's consent). Thomas Moreau,
 * the nurse, has no role: he reads what the access matrix lets a nurse read, nothing masked.
 */
export const DEMO_CARE_ROLES = [
  { patient_id: '00000000-0000-4000-8000-000000000301', rpps: '10001234565', role: 'MEDECIN_TRAITANT' },
] as const;
