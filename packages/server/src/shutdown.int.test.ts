import { expect, it } from 'vitest';
import { startTestApp } from '../test/test-app.ts';
import { stopGracefully } from './server.ts';

it('finishes a request in flight before closing the database, and refuses new ones', async () => {
  let release: () => void = () => {};
  const t = await startTestApp({
    prepare(app) {
      app.get('/api/slow', async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return { done: true };
      });
    },
  });
  try {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const inFlight = fetch(`${address}/api/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const stopping = stopGracefully(t.app, t.deps, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(fetch(`${address}/healthz`)).rejects.toThrow();

    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await stopping;
    await expect(t.deps.db.selectFrom('patient').selectAll().execute()).rejects.toThrow();
  } finally {
    await t.database.drop();
  }
});
