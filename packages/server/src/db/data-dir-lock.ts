import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

export class DataDirInUse extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The data folder ${dataDir} is used by another Carnet process (pid ${pid}). ` +
        'Stop it first, or set CARNET_DATA_DIR to another folder.',
    );
    this.name = 'DataDirInUse';
  }
}

/**
 * Keeps a second Carnet process from opening the same embedded database, which PGlite cannot
 * share. A lock left behind by a killed process is taken over: its pid no longer runs.
 */
export async function acquireDataDirLock(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, 'carnet.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (holder > 0 && holder !== process.pid && isRunning(holder)) throw new DataDirInUse(dataDir, holder);
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${lockPath}; remove it if no Carnet process runs.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
