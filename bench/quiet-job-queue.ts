import pg from 'pg';

const POLL_MS = 250;
const TIMEOUT_MS = 5 * 60_000;

/**
 * Waits until Carnet's job queue has nothing due: every document filed (by the seed or by an
 * ITI-65 round) queues its text extraction, which would otherwise run on the same two cores
 * during the next measured run and be charged to it.
 */
export async function waitForQuietJobQueue(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const { rows } = await client.query<{ due: string }>(
        `select count(*) as due from job where state = 'pending' and (run_at is null or run_at <= now())`,
      );
      if (Number(rows[0]?.due ?? 0) === 0) return;
      if (Date.now() > deadline) throw new Error(`Carnet's job queue still has ${rows[0]?.due} jobs due after ${TIMEOUT_MS / 60_000} minutes.`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await client.end();
  }
}
