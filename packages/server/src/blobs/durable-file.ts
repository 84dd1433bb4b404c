import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files being written are named `.tmp-<random>` beside their destination. Blob keys cannot start
 * with a dot, so a temporary file is never mistaken for a blob, and a crash leaves only these
 * behind for `removeStaleTempFiles` to collect.
 */
export const TEMP_PREFIX = '.tmp-';

/**
 * Writes `bytes` to `filePath` so that, once this resolves, the file survives a power cut, and so
 * that a crash at any moment leaves either the old file or the new one, never a torn one: write a
 * temporary file in the same folder, fsync it, move it into place, fsync the folder (the rename
 * itself lives in the folder's entries). With `replace: false` an existing file wins and is kept
 * (`link` fails rather than overwrites), which is how two processes agree on one generated file.
 */
export async function writeFileDurably(
  filePath: string,
  bytes: Uint8Array | string,
  options: { mode: number; replace: boolean },
): Promise<'written' | 'exists'> {
  const dir = path.dirname(filePath);
  const temp = path.join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
  let outcome: 'written' | 'exists' = 'written';
  try {
    const handle = await open(temp, 'wx', options.mode);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.replace) {
      await rename(temp, filePath);
    } else {
      try {
        await link(temp, filePath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        outcome = 'exists';
      }
      await rm(temp, { force: true });
    }
  } catch (error) {
    // A failure (disk full, a folder where the file should go) must not leave the temporary file
    // behind. A crash does, and the stale-file sweep collects it.
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDirectory(dir);
  return outcome;
}

/**
 * Creates `dir` (and missing parents) and fsyncs the folders whose entries may have changed: an
 * fsynced file in a folder that vanishes at a power cut is lost. Every folder from `dir`'s parent
 * up to `base` is synced, even when this call created nothing, because a concurrent call may have
 * created a folder there and not yet synced its parent; above `base`, the parents of the folders
 * this call created.
 */
export async function makeDirectoryDurably(dir: string, mode: number, base = path.dirname(dir)): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode });
  // `first` is the highest folder created; at or above `base` when its path is no longer.
  const stop = first !== undefined && first.length <= base.length ? path.dirname(first) : base;
  let current = dir;
  while (current !== stop && current !== path.dirname(current)) {
    current = path.dirname(current);
    await fsyncDirectory(current);
  }
}

export async function fsyncDirectory(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; NTFS journals its metadata instead.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
