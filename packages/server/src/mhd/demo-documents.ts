import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { DEMO_ORGANIZATIONS, DEMO_PATIENTS, DEMO_PROFESSIONALS } from '../demo/demo.data.ts';
import { buildCdaN1 } from '../document-content/fixtures/cda-builder.ts';
import { buildPdf } from '../document-content/fixtures/pdf-builder.ts';
import type { ProfessionalActor } from '../policy/actor.ts';
import { buildProvideBundle } from './provide-bundle.fixture.ts';
import { provideDocumentBundle, type ProvideDeps } from './provide-document-bundle.ts';

/** The demo software client (demo.data.ts DEMO_SOFTWARE_CLIENTS). */
const DEMO_CLIENT_ID = 'logiciel-demo';

/**
 * A few documents in Camille Durand's space, filed by Dr Claire Bernard's software through ITI-65
 * like any other, so that a new demo shows a record. Fixed uniqueIds: filing them again changes
 * nothing. Skipped when Camille's space already holds documents.
 */
export async function seedDemoDocuments(deps: ProvideDeps & { db: Kysely<Database> }): Promise<number> {
  const camille = DEMO_PATIENTS[0];
  const claire = DEMO_PROFESSIONALS[0];
  const organization = DEMO_ORGANIZATIONS[0];
  const existing = await deps.db.selectFrom('patient_document').select('document_id').where('patient_id', '=', camille.patient_id).executeTakeFirst();
  if (existing !== undefined) return 0;
  const actor: ProfessionalActor = {
    kind: 'professional',
    accountId: '',
    professionalId: claire.professional_id,
    rpps: claire.rpps,
    professionCode: claire.profession_code,
    specialtyCode: claire.specialty_code,
    organizationId: claire.organization_id,
    software: { clientId: DEMO_CLIENT_ID, organizationId: organization.organization_id },
  };
  const cdaId = { root: '1.2.250.1.999.1.1', extension: 'DEMO-BIO-2026-001' };
  const bundle = buildProvideBundle({
    ins: { matricule: camille.ins_matricule, oid: camille.ins_oid },
    author: { rpps: claire.rpps, given: claire.given_name, family: claire.family_name },
    organization: { finess: organization.finess, name: organization.name },
    submissionSetId: 'urn:uuid:8f0d3a4e-7b1c-4d2a-9e5f-1a2b3c4d5e01',
    documents: [
      {
        bytes: buildPdf(
          [
            'Compte rendu de consultation',
            'Patiente : Camille DURAND, née le 15/03/1984',
            'Motif : bilan annuel.',
            'Examen clinique : tension artérielle 12/8, auscultation normale.',
            'Conclusion : pas de traitement à modifier. Prochain contrôle dans un an.',
            'Dr Claire BERNARD',
          ],
          { title: 'Compte rendu de consultation' },
        ),
        masterIdentifier: 'urn:uuid:8f0d3a4e-7b1c-4d2a-9e5f-1a2b3c4d5e11',
        title: 'Consultation du 12 janvier 2026',
        date: '2026-01-12T10:30:00+01:00',
      },
      {
        bytes: buildPdf(['Ordonnance', 'Paracétamol 1 g, 1 comprimé 3 fois par jour pendant 5 jours.', 'Dr Claire BERNARD'], { title: 'Ordonnance' }),
        masterIdentifier: 'urn:uuid:8f0d3a4e-7b1c-4d2a-9e5f-1a2b3c4d5e12',
        typeCode: { code: '57833-6', display: 'Prescription de produits de santé' },
        title: 'Ordonnance du 12 janvier 2026',
        date: '2026-01-12T10:45:00+01:00',
      },
      {
        bytes: Buffer.from(
          buildCdaN1({
            id: cdaId,
            title: 'Résultats de biologie',
            typeCode: { code: '11502-2', displayName: "CR d'examens biologiques" },
            effectiveTime: new Date('2026-02-03T08:00:00+01:00'),
            pdf: buildPdf(['Résultats de biologie', 'Glycémie à jeun : 0,92 g/L (normale)', 'Cholestérol total : 1,85 g/L'], { title: 'Biologie' }),
          }),
        ),
        contentType: 'text/xml',
        masterIdentifier: `urn:oid:${cdaId.root}^${cdaId.extension}`,
        typeCode: { code: '11502-2', display: "CR d'examens biologiques" },
        title: 'Résultats de biologie du 3 février 2026',
        date: '2026-02-03T08:00:00+01:00',
      },
    ],
  });
  const result = await provideDocumentBundle(deps, { db: deps.db, actor }, bundle);
  return (result.entry ?? []).filter((e) => e.response?.location?.startsWith('DocumentReference/')).length;
}

/**
 * What a demo reseed removes of the demo patients' documents, before the patients themselves (the
 * rows point at them). Their files stay in the blob store, unreadable once reseeded spaces get new
 * keys; the demo is not for real data.
 */
export async function deleteDemoDocuments(trx: Kysely<Database>, patientIds: readonly string[]): Promise<void> {
  const ids = [...patientIds];
  for (const table of ['patient_document', 'document_folder', 'hospital_stay', 'document_file_intent', 'fhir_search_token', 'fhir_search_string', 'fhir_search_date', 'fhir_search_reference', 'fhir_resource_version', 'fhir_resource', 'fhir_resource_route'] as const) {
    await trx.deleteFrom(table).where('patient_id', 'in', ids).execute();
  }
}
