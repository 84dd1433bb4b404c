import type { Kysely } from 'kysely';
import { BlobNotFound } from '../blobs/blob-store.ts';
import type { CarnetError } from '../errors.ts';
import type { Database } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { extractText } from '../document-content/text-extraction.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { JobHandlers } from '../jobs/job-worker.ts';
import { findDocumentFile, saveExtractedText } from './document-filing.repository.ts';
import { EXTRACT_TEXT_JOB } from './document-filing.ts';
import { ORPHAN_GRACE_MS, reconcileOrphanFiles } from './orphan-files.ts';

/** The job that removes files whose filing never committed (orphan-files.ts), and runs again later. */
export const ORPHAN_FILES_JOB = 'document.orphan-files';
const ORPHAN_SWEEP_EVERY_MS = 60 * 60_000;

/**
 * The documents module's jobs: text extraction after filing (heavy work kept out of the filing
 * request), and the orphan-file sweep. Both idempotent, as the queue requires.
 */
export function documentJobHandlers(deps: Pick<Deps, 'db' | 'patientFiles' | 'clock'>): JobHandlers {
  return {
    async [EXTRACT_TEXT_JOB](job) {
      const documentId = job.payload.documentId;
      if (job.patientId === undefined || typeof documentId !== 'string') throw new Error('The text-extraction job names no patient or document.');
      const row = await findDocumentFile(deps.db, job.patientId, documentId);
      // Gone since (the space was destroyed): nothing to index.
      if (row === undefined) return;
      let bytes: Buffer;
      try {
        bytes = await deps.patientFiles.getPatientFile(job.patientId, row.file_id);
      } catch (error) {
        if (error instanceof BlobNotFound || (error as CarnetError).code === 'patient_key_destroyed') return;
        throw error;
      }
      let text: string;
      try {
        text = await extractText(bytes, row.content_type);
      } catch (error) {
        // A file whose text cannot be read stays findable by its title and metadata; trying
        // again would fail the same way.
        if ((error as CarnetError).code === 'text_extraction_failed' || (error as CarnetError).code === 'unsupported_document_type') text = '';
        else throw error;
      }
      await saveExtractedText(deps.db, job.patientId, documentId, text.replaceAll('\u0000', ''));
    },

    async [ORPHAN_FILES_JOB]() {
      await reconcileOrphanFiles(deps, { now: deps.clock.now() });
      await scheduleOrphanFileSweep(deps.db, new Date(deps.clock.now().getTime() + ORPHAN_SWEEP_EVERY_MS));
    },
  };
}

/**
 * Asks for a sweep at `at` (by default, once the grace period of files being written now is
 * over). Keyed by the hour, so that every node asking at start-up makes one job.
 */
export async function scheduleOrphanFileSweep(db: Kysely<Database>, at: Date): Promise<void> {
  await enqueueJob(db, { kind: ORPHAN_FILES_JOB, payload: {}, runAt: at, dedupeKey: `${ORPHAN_FILES_JOB}:${at.toISOString().slice(0, 13)}` });
}

export const firstOrphanSweepAt = (now: Date) => new Date(now.getTime() + ORPHAN_GRACE_MS);
