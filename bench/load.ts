import autocannon, { type Options, type RequestParams } from 'autocannon';
import type { BenchRequest } from './scenarios.ts';

export interface LoadSettings {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  pipelining: number;
}

export interface LoadFigures {
  /** Mean of the per-second samples. */
  requestsPerSecond: number;
  totalRequests: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** Socket errors, timeouts included. */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

/** Lets the JIT compile hot paths and the pools fill before anything is measured. */
export async function warmUp(baseUrl: string, request: BenchRequest, settings: LoadSettings): Promise<void> {
  await autocannon(options(baseUrl, request, settings, settings.warmupSeconds));
}

export async function measureLoad(baseUrl: string, request: BenchRequest, settings: LoadSettings): Promise<LoadFigures> {
  const latencies = new LatencyRecorder();
  const run = autocannon(options(baseUrl, request, settings, settings.durationSeconds));
  // autocannon's own percentiles are whole milliseconds, too coarse for a 2 ms answer.
  run.on('response', (_client, _status, _bytes, responseTimeMs) => latencies.record(responseTimeMs));
  const result = await run;
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count;
  return {
    requestsPerSecond: result.requests.average,
    totalRequests: result.requests.total,
    // Microseconds are the finest figure worth keeping from a loopback run.
    p50Ms: Number(latencies.percentile(50).toFixed(3)),
    p99Ms: Number(latencies.percentile(99).toFixed(3)),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

function options(baseUrl: string, request: BenchRequest, settings: LoadSettings, durationSeconds: number): Options {
  return {
    url: new URL(request.path, baseUrl).toString(),
    method: request.method,
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { body: request.body }),
    duration: durationSeconds,
    connections: settings.connections,
    pipelining: settings.pipelining,
    timeout: 10,
    ...(request.variants === undefined && request.freshBody === undefined
      ? {}
      : { requests: [{ method: request.method, setupRequest: nextRequest(request) }] }),
  };
}

/** Rewrites each request to the next variant, in turn across all connections, with a fresh body if asked. */
function nextRequest(request: BenchRequest) {
  const variant = request.variants === undefined ? undefined : nextVariant(request.variants);
  const freshBody = request.freshBody;
  return (params: RequestParams): RequestParams => {
    const rewritten = variant === undefined ? params : variant(params);
    return freshBody === undefined ? rewritten : { ...rewritten, body: freshBody() };
  };
}

function nextVariant(variants: NonNullable<BenchRequest['variants']>) {
  let next = 0;
  return (params: RequestParams): RequestParams => {
    const variant = variants[next++ % variants.length]!;
    return { ...params, path: variant.path, headers: { ...params.headers, ...variant.headers } };
  };
}

class LatencyRecorder {
  #values = new Float64Array(1 << 16);
  #count = 0;

  record(ms: number) {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = ms;
  }

  /** Nearest-rank percentile; NaN when nothing answered. */
  percentile(p: number): number {
    if (this.#count === 0) return Number.NaN;
    const sorted = this.#values.subarray(0, this.#count).sort();
    return sorted[Math.min(this.#count, Math.ceil((p / 100) * this.#count)) - 1] ?? Number.NaN;
  }
}
