// autocannon ships no types; this declares only what the harness uses (autocannon 9 README).
declare module 'autocannon' {
  export interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Seconds. */
    duration?: number;
    connections?: number;
    pipelining?: number;
    /** Seconds before a request counts as a timeout. */
    timeout?: number;
    /** Requests sent in turn by each connection; `setupRequest` may rewrite each one before it goes. */
    requests?: { method?: string; setupRequest?: (request: RequestParams) => RequestParams }[];
  }

  export interface RequestParams {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
  }

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p99: number;
  }

  export interface Result {
    /** Per-second samples; `total` counts completed requests. */
    requests: Histogram & { total: number; sent: number };
    /** Milliseconds, recorded as whole numbers. */
    latency: Histogram;
    /** Socket errors, timeouts included. */
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
    /** Seconds. */
    duration: number;
  }

  export interface Instance extends PromiseLike<Result> {
    on(
      event: 'response',
      listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
    ): Instance;
    stop(): void;
  }

  function autocannon(options: Options): Instance;
  export default autocannon;
}
