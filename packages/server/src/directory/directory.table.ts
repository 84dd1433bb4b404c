import type { Generated } from 'kysely';

export interface OrganizationTable {
  organization_id: string;
  finess: string;
  name: string;
  created_at: Generated<Date>;
}

export interface ProfessionalTable {
  professional_id: string;
  rpps: string;
  family_name: string;
  given_name: string;
  profession_code: string;
  specialty_code: string | null;
  organization_id: string | null;
  created_at: Generated<Date>;
}
