import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildServer {
  name: string;
  pid: number;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The last lines the child wrote on stdout and stderr, for error messages. */
  output(): string;
  /** SIGTERM, then wait for the graceful shutdown; SIGKILL if it hangs. */
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  name: string;
  script: string;
  /** Added to the harness's environment, after `dropEnv` removed what must not leak through. */
  env: Record<string, string>;
  dropEnv?: (key: string) => boolean;
  host: string;
  port: number;
  /** Polled until it answers 200. */
  readyPath: string;
  readyTimeoutMs?: number;
}

const OUTPUT_TAIL_BYTES = 16 * 1024;
const STOP_TIMEOUT_MS = 20_000;

// A harness that dies from an uncaught error must not leave servers holding ports and data
// folders; 'exit' handlers can only do synchronous work, and kill() is.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a server as a child process on the same Node binary, so the load generator never shares
 * the server's event loop, and resolves once it answers `readyPath` with 200.
 */
export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !options.dropEnv?.(key)) env[key] = value;
  }
  Object.assign(env, options.env, { PORT: String(options.port), HOST: options.host });

  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the servers under load.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.trim().split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, options.script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(signal === null ? `exit code ${code}` : `signal ${signal}`);
    });
  });
  let exitStatus: string | undefined;
  void exited.then((status) => (exitStatus = status));
  const output = () => tail.trim() || '(no output)';

  const stop = async () => {
    if (exitStatus !== undefined) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), STOP_TIMEOUT_MS)));
    const outcome = await Promise.race([exited, hung]);
    clearTimeout(timer);
    if (outcome === 'hung') {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`${options.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killed it.`);
    }
    if (outcome !== 'exit code 0') {
      throw new Error(`${options.name} stopped with ${outcome}. Its output:\n${output()}`);
    }
  };

  if (child.pid === undefined) {
    await exited;
    throw new Error(`Could not start ${options.name} (${process.execPath} ${options.script}).`);
  }

  const url = `http://${options.host}:${options.port}`;
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (true) {
    if (exitStatus !== undefined) {
      throw new Error(`${options.name} stopped with ${exitStatus} before it was ready. Its output:\n${output()}`);
    }
    if (Date.now() > deadline) {
      await stop().catch(() => {});
      throw new Error(
        `${options.name} did not answer GET ${options.readyPath} with 200 within ${timeoutMs / 1000} s ` +
          `(last: ${lastProblem}). Its output:\n${output()}`,
      );
    }
    try {
      const response = await fetch(url + options.readyPath, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) break;
      lastProblem = `status ${response.status}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      lastProblem = cause?.code ?? cause?.message ?? (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return { name: options.name, pid: child.pid, url, output, stop };
}
