import { INS_OID } from '@carnet/shared';
import type { PatientRow } from './patients.repository.ts';

/** The patient's identity as Carnet's own API gives it (GET /api/patients/:patientId). */
export function patientView(row: PatientRow) {
  return {
    id: row.patient_id,
    ins: { matricule: row.ins_matricule, oid: row.ins_oid },
    birthFamilyName: row.birth_family_name,
    firstNames: row.first_names,
    birthDate: row.birth_date,
    sex: row.sex,
    birthplaceCode: row.birthplace_code,
  };
}

const FR_CORE = 'https://hl7.fr/ig/fhir/core';

/** The identifier type FR Core gives an INS, by OID (fr-core-cs-v2-0203: NIR, NIA, test, demo). */
const INS_TYPE: Record<string, string> = {
  [INS_OID.nir]: 'INS-NIR',
  [INS_OID.nia]: 'INS-NIA',
  [INS_OID.testNir]: 'INS-NIR-TEST',
  [INS_OID.testNia]: 'INS-NIR-DEMO',
};

/**
 * The same identity as a FHIR R4 Patient in the shape of FR Core's INS profile: the INS as an
 * official identifier whose system is its OID, the birth name as the official name, the INSEE code
 * of the birthplace.
 */
export function patientResource(row: PatientRow) {
  return {
    resourceType: 'Patient',
    id: row.patient_id,
    extension: [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace',
        valueAddress: {
          extension: [
            {
              url: `${FR_CORE}/StructureDefinition/fr-core-address-insee-code`,
              valueCoding: { system: 'https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM', code: row.birthplace_code },
            },
          ],
        },
      },
    ],
    identifier: [
      {
        use: 'official',
        type: { coding: [{ system: `${FR_CORE}/CodeSystem/fr-core-cs-v2-0203`, code: INS_TYPE[row.ins_oid] ?? 'INS-NIR' }] },
        system: `urn:oid:${row.ins_oid}`,
        value: row.ins_matricule,
      },
    ],
    name: [{ use: 'official', family: row.birth_family_name, given: row.first_names.split(' ') }],
    gender: row.sex === 'F' ? 'female' : 'male',
    birthDate: row.birth_date,
  };
}
