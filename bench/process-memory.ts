import { readFile, writeFile } from 'node:fs/promises';

export interface ProcessMemory {
  /** VmRSS: resident memory now, in MB. */
  currentMb: number;
  /** VmHWM: the most resident memory since start or since the last `resetPeakMemory`, in MB. */
  peakMb: number;
}

/** Reads a process's memory from Linux's /proc; `undefined` on systems without it. */
export async function readProcessMemory(pid: number): Promise<ProcessMemory | undefined> {
  let status: string;
  try {
    status = await readFile(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const current = kilobytes(status, 'VmRSS');
  const peak = kilobytes(status, 'VmHWM');
  if (current === undefined || peak === undefined) return undefined;
  return { currentMb: current / 1024, peakMb: peak / 1024 };
}

/**
 * Makes the next VmHWM reading the peak of one scenario rather than of the process's whole life
 * (proc(5), /proc/pid/clear_refs: writing 5 resets the peak resident set size, Linux ≥ 4.0).
 * Returns false where that is not possible; the peak then covers every earlier scenario too.
 */
export async function resetPeakMemory(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function kilobytes(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
