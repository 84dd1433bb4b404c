import { seedLoggedInPatients } from './seed-session.ts';

export type Target = 'carnet' | 'bare';

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Paths and headers the requests take in turn (e.g. many patients, each with their session). */
  variants?: { path: string; headers: Record<string, string> }[];
}

export interface ScenarioContext {
  /** e.g. http://127.0.0.1:41234, a Carnet with an empty database (no demo data). */
  carnetUrl: string;
  /**
   * The bench database on PostgreSQL; undefined on the embedded database, which lives inside the
   * Carnet process and takes no outside connections: seed through the HTTP API there.
   */
  databaseUrl: string | undefined;
  databaseKind: 'embedded' | 'postgres';
}

export interface Goal {
  minRps?: number;
  maxP99Ms?: number;
}

export interface Scenario {
  /** Unique; shown in the report. */
  name: string;
  target: Target;
  request: BenchRequest;
  /**
   * Runs once before the warm-up, e.g. to create the patient a read asks for. What it returns
   * replaces fields of `request` (headers are merged), so the path can carry an id it created.
   */
  setup?: (ctx: ScenarioContext) => Promise<Partial<BenchRequest> | void>;
  /** A quality bar of the design (§6). A missed goal is reported, never a failure: the machine may be slow. */
  goal?: Goal;
  /** Name of a scenario on another target whose req/s this one is reported as a share of. */
  baseline?: string;
  /** Only on this database: a setup that seeds through SQL cannot reach the embedded one. */
  database?: ScenarioContext['databaseKind'];
}

export const TARGET_LABELS: Record<Target, string> = { carnet: 'Carnet', bare: 'bare Fastify' };

export const scenarios: Scenario[] = [
  {
    name: 'bare Fastify /healthz',
    target: 'bare',
    request: { method: 'GET', path: '/healthz' },
  },
  {
    // The floor every Carnet route stands on: hooks, headers, metrics, logging, no database.
    name: 'Carnet /healthz',
    target: 'carnet',
    request: { method: 'GET', path: '/healthz' },
    baseline: 'bare Fastify /healthz',
  },
  {
    // Every read of a patient's data: session → policy decision → audit entry appended to the
    // patient's hash chain (a write, under that chain's row lock) → the read. One patient for
    // every request is the worst case: all appends queue on the same chain head.
    name: 'holder reads their identity (policy + audit append)',
    target: 'carnet',
    database: 'postgres',
    request: { method: 'GET', path: '/api/patients/:patientId' },
    async setup(ctx) {
      const [holder] = await seedLoggedInPatients(ctx.databaseUrl!, 1);
      return { path: `/api/patients/${holder!.patientId}`, headers: { cookie: holder!.cookie } };
    },
  },
  {
    // The same read spread over 1,000 patients, each with their own session: per-patient chains
    // let these appends run side by side.
    name: 'holders read their identity, 1,000 patients (policy + audit append)',
    target: 'carnet',
    database: 'postgres',
    request: { method: 'GET', path: '/api/patients/:patientId' },
    async setup(ctx) {
      const seeded = await seedLoggedInPatients(ctx.databaseUrl!, 1000);
      return { variants: seeded.map(({ patientId, cookie }) => ({ path: `/api/patients/${patientId}`, headers: { cookie } })) };
    },
  },
];
