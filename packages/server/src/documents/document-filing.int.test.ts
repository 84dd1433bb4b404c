import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { buildPdf } from '../document-content/fixtures/pdf-builder.ts';
import { bundleFor, type InsPatient, softwareSession, type TestSoftwareSession, withIns } from '../mhd/mhd.test-support.ts';
import { provideDocumentBundle } from '../mhd/provide-document-bundle.ts';
import type { ProfessionalActor } from '../policy/actor.ts';
import { EXTRACT_TEXT_JOB } from './document-filing.ts';
import { documentJobHandlers } from './document-jobs.ts';
import { reconcileOrphanFiles } from './orphan-files.ts';

let t: TestApp;
let pro: TestSoftwareSession;
let actor: ProfessionalActor;
let patient: InsPatient;

beforeAll(async () => {
  t = await startTestApp();
  pro = await softwareSession(t);
  actor = {
    kind: 'professional',
    accountId: '',
    professionalId: pro.software.professional.professionalId,
    rpps: pro.rpps,
    professionCode: '10',
    specialtyCode: null,
    organizationId: pro.software.organizationId,
    software: { clientId: pro.software.clientId, organizationId: pro.software.organizationId },
  };
  patient = await withIns(t);
});
afterAll(() => t.close());

const file = (bytes: Uint8Array, deps = t.deps) =>
  provideDocumentBundle(deps, { db: t.deps.db, actor }, bundleFor(patient, pro.rpps, [{ bytes }]));

const documentIdOf = (bundle: { entry?: { response?: { location?: string } }[] }) => bundle.entry![1]!.response!.location!.split('/')[1]!;

describe('filing documents', () => {
  it('extracts the text after filing, in a job, and makes it searchable in French', async () => {
    const id = documentIdOf(await file(buildPdf(['Compte rendu', 'Échographie abdominale sans anomalie décelée.'])));
    const before = await t.deps.db.selectFrom('patient_document').select('extracted_text').where('document_id', '=', id).executeTakeFirstOrThrow();
    expect(before.extracted_text).toBeNull();
    await documentJobHandlers(t.deps)[EXTRACT_TEXT_JOB]!({ jobId: 'j', kind: EXTRACT_TEXT_JOB, patientId: patient.patientId, payload: { documentId: id }, attempt: 1 });
    const row = await t.deps.db
      .selectFrom('patient_document')
      .select(['extracted_text', sql<boolean>`search_vector @@ websearch_to_tsquery('french', 'échographies')`.as('found')])
      .where('document_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.extracted_text).toContain('Échographie abdominale');
    expect(row.found).toBe(true);
  });

  it('masks new professional documents when the holder asked for it', async () => {
    await t.deps.db.insertInto('patient_settings').values({ patient_id: patient.patientId, notify_new_document: true, notify_new_message: true, notify_reminders: true, notify_professional_access: true, mask_new_documents: true, updated_at: new Date().toISOString() }).onConflict((oc) => oc.column('patient_id').doUpdateSet({ mask_new_documents: true })).execute();
    try {
      const id = documentIdOf(await file(buildPdf(['Masqué par défaut'])));
      const row = await t.deps.db.selectFrom('patient_document').select('confidentiality').where('document_id', '=', id).executeTakeFirstOrThrow();
      expect(row.confidentiality).toEqual(['N', 'MASQUE_PS']);
    } finally {
      await t.deps.db.updateTable('patient_settings').set({ mask_new_documents: false }).where('patient_id', '=', patient.patientId).execute();
    }
  });

  it('removes the files it wrote when the filing does not commit', async () => {
    const written: string[] = [];
    const failing = {
      ...t.deps,
      patientFiles: {
        ...t.deps.patientFiles,
        async putPatientFile(patientId: string, fileId: string, bytes: Uint8Array) {
          await t.deps.patientFiles.putPatientFile(patientId, fileId, bytes);
          written.push(fileId);
        },
      },
    };
    // A transaction that fails after the files are written: the space closes in between.
    await t.deps.db.updateTable('patient').set({ status: 'closed' }).where('patient_id', '=', patient.patientId).execute();
    try {
      await expect(file(buildPdf(['Jamais déposé']), failing)).rejects.toMatchObject({ status: 403 });
    } finally {
      await t.deps.db.updateTable('patient').set({ status: 'active' }).where('patient_id', '=', patient.patientId).execute();
    }
    expect(written).toHaveLength(1);
    await expect(t.deps.patientFiles.getPatientFile(patient.patientId, written[0]!)).rejects.toMatchObject({ code: 'blob_not_found' });
    expect(await t.deps.db.selectFrom('document_file_intent').selectAll().where('patient_id', '=', patient.patientId).execute()).toEqual([]);
  });

  it('sweeps the files of a filing that crashed before its commit, once their grace period is over', async () => {
    const orphan = crypto.randomUUID();
    await t.deps.db.insertInto('document_file_intent').values({ patient_id: patient.patientId, file_id: orphan }).execute();
    await t.deps.patientFiles.putPatientFile(patient.patientId, orphan, Buffer.from('orphelin'));
    const id = documentIdOf(await file(buildPdf(['Gardé'])));
    const kept = await t.deps.db.selectFrom('patient_document').select('file_id').where('document_id', '=', id).executeTakeFirstOrThrow();
    // An intent left behind by a cleanup that failed after the commit: the file is the document's.
    await t.deps.db.insertInto('document_file_intent').values({ patient_id: patient.patientId, file_id: kept.file_id }).execute();

    expect(await reconcileOrphanFiles(t.deps, { now: new Date() })).toBe(0);
    expect(await reconcileOrphanFiles(t.deps, { now: new Date(Date.now() + 16 * 60_000) })).toBe(1);
    await expect(t.deps.patientFiles.getPatientFile(patient.patientId, orphan)).rejects.toMatchObject({ code: 'blob_not_found' });
    expect((await t.deps.patientFiles.getPatientFile(patient.patientId, kept.file_id)).length).toBeGreaterThan(0);
    expect(await t.deps.db.selectFrom('document_file_intent').selectAll().where('patient_id', '=', patient.patientId).execute()).toEqual([]);
  });
});
