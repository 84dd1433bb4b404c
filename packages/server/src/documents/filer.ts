import { CarnetError } from '../errors.ts';
import type { Actor } from '../policy/actor.ts';
import { filerOfPatient, filerOfProfessional } from '../policy/policy.ts';
import type { Filer } from '../policy/record-facts.ts';

/** Who files a document, as the `filed-by` extension and the patient_document row record them. */
export interface DocumentFiler {
  /** The `filed-by` extension's valueIdentifier (contracts of issue 4). */
  identifier: Filer;
  kind: 'professional' | 'patient';
  /** The RPPS number, or the patient's id. */
  id: string;
}

/** The filer an actor files as: a professional by RPPS, the holder by their space. */
export function filerOf(actor: Actor): DocumentFiler {
  switch (actor.kind) {
    case 'professional':
      return { identifier: filerOfProfessional(actor.rpps), kind: 'professional', id: actor.rpps };
    case 'patient':
      return { identifier: filerOfPatient(actor.patientId), kind: 'patient', id: actor.patientId };
    case 'operator':
      // The policy refuses operators anyway; this keeps the type honest.
      throw new CarnetError('forbidden', 403, 'Operator staff do not file documents.');
  }
}

export const sameFiler = (a: Filer | null | undefined, b: Filer) => a != null && a.system === b.system && a.value === b.value;
