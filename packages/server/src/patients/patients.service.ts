import { CarnetError } from '../errors.ts';
import { noSuchRecord } from '../policy/authorize.ts';
import { type AccessContext, authorizeOnFoundRecord, type RecordAccess } from './patient-access.ts';
import { findPatient, findPatientIdByIns, type PatientRow } from './patients.repository.ts';

const patientRead = (patientId: string): RecordAccess => ({
  patientId,
  action: 'patient.read',
  resource: { type: 'Patient', id: patientId },
});

/**
 * Whose space this is: the identity on the INS, read under the policy (action `patient.read`). The
 * row is read first: it is what tells an unknown space (404, nothing audited) from a known one.
 */
export async function readPatient(context: AccessContext, patientId: string): Promise<PatientRow> {
  const patient = await findPatient(context.db, patientId);
  if (patient === undefined) throw noSuchRecord();
  await authorizeOnFoundRecord(context, patientRead(patientId));
  return patient;
}

/**
 * The space of an INS (matricule and its OID), as a professional's software looks a patient up
 * before filing a document. Nothing is found when the INS is unknown, when its OID differs, or when
 * the actor may not know of the space: the three cannot be told apart.
 */
export async function findPatientByIns(
  context: AccessContext,
  ins: { matricule: string; oid: string | undefined },
): Promise<PatientRow | undefined> {
  const patientId = await findPatientIdByIns(context.db, ins.matricule);
  const patient = patientId === undefined ? undefined : await findPatient(context.db, patientId);
  if (patient === undefined || (ins.oid !== undefined && ins.oid !== patient.ins_oid)) return undefined;
  try {
    await authorizeOnFoundRecord(context, patientRead(patient.patient_id));
  } catch (error) {
    if (error instanceof CarnetError && error.status === 404) return undefined;
    throw error;
  }
  return patient;
}
