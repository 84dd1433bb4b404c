/**
 * Who is asking. Built by the authentication layer from a session or a token, read by the policy
 * module; nothing else decides what an actor may do.
 */
export type Actor = PatientActor | ProfessionalActor | OperatorActor;

export interface PatientActor {
  kind: 'patient';
  accountId: string;
  /** The space this person holds. */
  patientId: string;
  sessionId?: string;
}

export interface ProfessionalActor {
  kind: 'professional';
  accountId: string;
  professionalId: string;
  rpps: string;
  /** TRE-G15 profession code (10 médecin, 21 pharmacien, 60 infirmier…). */
  professionCode: string;
  specialtyCode: string | null;
  organizationId: string | null;
  sessionId?: string;
  /**
   * The professional's software, when the request comes with an OAuth access token rather than a
   * web session: the registered client, the organisation (FINESS) it belongs to, and the SMART
   * scopes the token was granted (oauth/smart-scopes.ts `permitsInteraction` reads them).
   */
  software?: { clientId: string; organizationId: string | null; scopes?: readonly string[] };
}

/** Operator staff: enrolment, support, catalogue review. Never health data. */
export interface OperatorActor {
  kind: 'operator';
  accountId: string;
  sessionId?: string;
}
