import type { Deps } from '../deps.ts';
import { deleteFileIntents, fileHasDocument, listStaleFileIntents } from './document-filing.repository.ts';

/**
 * How long a file may be written without its document committing. A filing writes its files,
 * then commits in well under a second; a file whose intent is older than this belongs to a
 * filing that crashed or failed to clean up.
 */
export const ORPHAN_GRACE_MS = 15 * 60_000;

const BATCH = 500;

/**
 * Removes the files of filings that never committed (security checklist K1: no orphan file
 * survives). The filing records an intent (patient, file id) and commits it before writing the
 * file, and deletes it in the transaction of the document: an intent older than the grace period
 * whose file no document names is an orphan. The blob store is never listed, so this works the
 * same on a folder and on a bucket of millions of files. Returns how many files were removed.
 */
export async function reconcileOrphanFiles(
  deps: Pick<Deps, 'db' | 'patientFiles'>,
  options: { now: Date; graceMs?: number },
): Promise<number> {
  const before = new Date(options.now.getTime() - (options.graceMs ?? ORPHAN_GRACE_MS));
  let removed = 0;
  for (;;) {
    const intents = await listStaleFileIntents(deps.db, before, BATCH);
    for (const { patient_id: patientId, file_id: fileId } of intents) {
      // A document that names the file keeps it (an intent left by a cleanup that failed after commit).
      if (!(await fileHasDocument(deps.db, patientId, fileId))) {
        await deps.patientFiles.deletePatientFile(patientId, fileId);
        removed++;
      }
      await deleteFileIntents(deps.db, patientId, [fileId]);
    }
    if (intents.length < BATCH) return removed;
  }
}
