import { api } from './http.ts';

/** The roles a patient can give a professional (MES HealthProfessionalRoleEnum, plus the administrators). */
export const CARE_ROLES = ['MEDECIN_TRAITANT', 'SAGE_FEMME_REFERENTE', 'PHARMACIEN_CORRESPONDANT', 'ADMINISTRATEUR'] as const;
export type CareRole = (typeof CARE_ROLES)[number];

/** The profession (TRE_G15 code) a role requires; an administrator may be any professional. */
export const ROLE_PROFESSION: Readonly<Partial<Record<CareRole, string>>> = {
  MEDECIN_TRAITANT: '10',
  SAGE_FEMME_REFERENTE: '50',
  PHARMACIEN_CORRESPONDANT: '21',
};

/** A professional the space has a relationship with, as GET /api/patients/:patientId/professionals lists them. */
export interface CareTeamMember {
  rpps: string;
  /** Null when the professional has left the directory. */
  name: { family: string; given: string } | null;
  profession: { code: string; display: string | null } | null;
  specialtyCode: string | null;
  blocked: boolean;
  roles: CareRole[];
  /** When the professional declared the patient's consent, while that declaration is in force. */
  consentDeclaredAt: string | null;
  lastEmergencyAccess: { mode: string; startedAt: string; expiresAt: string } | null;
}

export type Permission = 'permit' | 'deny';

/** The patient's three emergency switches (MES ETREAT, BTG, MASKED). */
export interface EmergencySwitches {
  samuRegulation: Permission;
  breakTheGlass: Permission;
  maskedInEmergency: Permission;
}

const base = (patientId: string) => `/api/patients/${encodeURIComponent(patientId)}`;
const professional = (patientId: string, rpps: string) => `${base(patientId)}/professionals/${encodeURIComponent(rpps)}`;

export const fetchCareTeam = (patientId: string) =>
  api<{ professionals: CareTeamMember[] }>(`${base(patientId)}/professionals`).then((body) => body.professionals);

export const setBlocked = (patientId: string, rpps: string, blocked: boolean) =>
  api<void>(`${professional(patientId, rpps)}/block`, { method: blocked ? 'PUT' : 'DELETE' });

export const setRole = (patientId: string, rpps: string, role: CareRole, granted: boolean) =>
  api<void>(`${professional(patientId, rpps)}/roles/${role}`, { method: granted ? 'PUT' : 'DELETE' });

export const withdrawConsent = (patientId: string, rpps: string) =>
  api<void>(`${professional(patientId, rpps)}/consent`, { method: 'DELETE' });

export const fetchEmergencySwitches = (patientId: string) => api<EmergencySwitches>(`${base(patientId)}/emergency-access`);

export const saveEmergencySwitches = (patientId: string, switches: EmergencySwitches) =>
  api<EmergencySwitches>(`${base(patientId)}/emergency-access`, { method: 'PUT', body: switches });
