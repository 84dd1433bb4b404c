import pg from 'pg';

export interface BenchDatabase {
  name: string;
  /** The given URL pointed at the new database. */
  url: string;
  serverVersion: string;
  drop(): Promise<void>;
}

/**
 * Creates a throwaway database next to the one `adminUrl` names, so a benchmark on a shared
 * PostgreSQL server neither reads nor leaves behind anyone else's data.
 */
export async function createBenchDatabase(adminUrl: string, stamp: Date): Promise<BenchDatabase> {
  const name = `carnet_bench_${stamp.toISOString().replace(/\D/g, '').slice(0, 14)}`;
  let serverVersion: string;
  try {
    serverVersion = await withClient(adminUrl, async (client) => {
      await client.query(`create database ${quote(name)}`);
      const result = await client.query<{ server_version: string }>('show server_version');
      return result.rows[0]?.server_version ?? 'unknown';
    });
  } catch (error) {
    throw new Error(`Could not create the database ${name} on DATABASE_URL: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    serverVersion,
    // PostgreSQL 13+: `with (force)` ends sessions a crashed server left open.
    drop: () => withClient(adminUrl, (client) => client.query(`drop database if exists ${quote(name)} with (force)`)).then(() => {}),
  };
}

/** Updates the planner's statistics of every table, as autovacuum would in time. */
export async function analyzeDatabase(url: string): Promise<void> {
  await withClient(url, (client) => client.query('analyze'));
}

/**
 * Waits until Carnet's job queue has nothing due: every document filed (by the seed or by an
 * ITI-65 round) queues its text extraction, which would otherwise run on the same two cores
 * during the next measured run and be charged to it.
 */
export async function waitForQuietJobQueue(url: string): Promise<void> {
  await withClient(url, async (client) => {
    const deadline = Date.now() + QUIET_TIMEOUT_MS;
    for (;;) {
      const { rows } = await client.query<{ due: string }>(`select count(*) as due from job where state = 'pending' and (run_at is null or run_at <= now())`);
      const due = Number(rows[0]?.due ?? 0);
      if (due === 0) return;
      if (Date.now() > deadline) throw new Error(`Carnet's job queue still has ${due} jobs due after ${QUIET_TIMEOUT_MS / 60_000} minutes.`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
}

const QUIET_TIMEOUT_MS = 5 * 60_000;

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function quote(identifier: string) {
  return `"${identifier.replaceAll('"', '""')}"`;
}
