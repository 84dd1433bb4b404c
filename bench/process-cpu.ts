import { readdir, readFile } from 'node:fs/promises';

/** CPU time in milliseconds (user + system, every thread) from Linux's /proc; `undefined` elsewhere. */
export async function readProcessCpuMs(pid: number): Promise<number | undefined> {
  try {
    return cpuMsOfStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * CPU time of each process with this command name (e.g. `postgres`: the server and all its
 * backends), by pid, so a scenario's database work can be put beside the server's.
 */
export async function readCommandCpuMs(command: string): Promise<Map<number, number> | undefined> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const byPid = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === command) byPid.set(Number(pid), cpuMsOfStat(stat));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return byPid;
}

/**
 * The CPU those processes spent between two readings: each one alive at the second, less what it
 * had spent at the first (nothing, if it started since). A process that ended in between is not
 * counted, so the figure may fall short, never below zero.
 */
export function cpuSpentBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let spent = 0;
  for (const [pid, ms] of after) spent += Math.max(0, ms - (before.get(pid) ?? 0));
  return spent;
}

// proc(5): fields 14 and 15 are utime and stime in clock ticks, counted after the ")" that ends
// the command name (which may itself hold spaces). Linux's USER_HZ is 100 on every architecture.
const TICK_MS = 10;
function cpuMsOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}
