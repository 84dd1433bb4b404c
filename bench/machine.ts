import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Machine {
  node: string;
  os: string;
  cpuModel: string;
  cores: number;
  totalMemoryMb: number;
  database: 'embedded' | 'postgres';
  /** PostgreSQL's `server_version`, with DATABASE_URL only. */
  postgresVersion?: string;
  /** The commit measured, "(modified)" when the working tree differs from it. */
  commit?: string;
}

export function describeMachine(database: Machine['database'], postgresVersion: string | undefined): Machine {
  const commit = gitCommit();
  return {
    // The servers run on this same binary (process.execPath).
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    database,
    ...(postgresVersion === undefined ? {} : { postgresVersion }),
    ...(commit === undefined ? {} : { commit }),
  };
}

function gitCommit(): string | undefined {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: import.meta.dirname, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') === '' ? head : `${head} (modified)`;
  } catch {
    return undefined;
  }
}
