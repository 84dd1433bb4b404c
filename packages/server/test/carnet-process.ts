import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';

const MAIN = path.resolve(import.meta.dirname, '../src/main.ts');

export interface CarnetProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Runs `main.ts` as a real process, as `npm start` does, and waits until it is ready. */
export async function spawnCarnet(env: Record<string, string>, options: { waitReady?: boolean } = {}): Promise<CarnetProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }) as { code: number | null; signal: NodeJS.Signals | null });
  const url = `http://127.0.0.1:${port}`;
  const process_ = { child, url, output: () => output, exited };
  if (options.waitReady !== false) await waitReady(process_);
  return process_;
}

async function waitReady(carnet: CarnetProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let stopped = false;
  void carnet.exited.then(() => (stopped = true));
  while (Date.now() < deadline && !stopped) {
    try {
      if ((await fetch(`${carnet.url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  carnet.child.kill('SIGKILL');
  throw new Error(`Carnet did not become ready:\n${carnet.output()}`);
}
