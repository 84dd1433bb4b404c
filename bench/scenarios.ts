import { randomUUID } from 'node:crypto';
import { benchPdf, type DocumentWorld, fileDocuments, type FiledDocument, nthDocument, provideBundle, seedDocumentWorld } from './seed-documents.ts';
import { analyzeDatabase } from './bench-database.ts';
import { seedLoggedInPatients } from './seed-session.ts';

export type Target = 'carnet' | 'bare';

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Paths and headers the requests take in turn (e.g. many patients, each with their session). */
  variants?: { path: string; headers: Record<string, string> }[];
  /** A new body for each request (e.g. a document with an identifier never sent before). */
  freshBody?: () => string;
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

const FHIR_POST_HEADERS = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };

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
  {
    // ITI-65 as a hospital's software sends it: one Bundle, one 100 KB PDF as a Binary entry, into
    // one patient's space (every filing appends to that patient's audit chain: the worst case).
    // Each request carries a masterIdentifier never sent before (else ITI-65 answers the document
    // already filed); the PDF's bytes are the same, so the hash and size stay right.
    name: 'ITI-65 file a 100 KB PDF, 1 patient',
    target: 'carnet',
    database: 'postgres',
    request: { method: 'POST', path: '/fhir/R4', headers: FHIR_POST_HEADERS },
    async setup(ctx) {
      const { world } = await documentWorld(ctx);
      return filingLoad(world, world.patients.slice(FILING_PATIENT, FILING_PATIENT + 1));
    },
    goal: { minRps: 500, maxP99Ms: 100 },
  },
  {
    name: 'ITI-65 file a 100 KB PDF, 1,000 patients',
    target: 'carnet',
    database: 'postgres',
    request: { method: 'POST', path: '/fhir/R4', headers: FHIR_POST_HEADERS },
    async setup(ctx) {
      const { world } = await documentWorld(ctx);
      return filingLoad(world, world.patients.slice(SPREAD_PATIENTS));
    },
    goal: { minRps: 500, maxP99Ms: 100 },
  },
  {
    // ITI-67 on a patient with 200 documents of four types in three classes: class 10 (consultation
    // and lab reports) keeps half of them. Decided by the policy (the search restriction goes into
    // the SQL) and audited.
    name: 'ITI-67 search by category, patient with 200 documents',
    target: 'carnet',
    database: 'postgres',
    request: { method: 'GET', path: '/fhir/R4/DocumentReference' },
    async setup(ctx) {
      const { world } = await documentWorld(ctx);
      const patientId = world.patients[SEARCH_PATIENT]!.patientId;
      return live(world, `/fhir/R4/DocumentReference?patient=${patientId}&status=current&category=10`);
    },
    goal: { minRps: 2_000 },
  },
  {
    // ITI-68: the content of a 100 KB PDF, read from the encrypted file store, in rotation over
    // the 200 documents of one patient.
    name: 'ITI-68 read a 100 KB PDF, 1 patient',
    target: 'carnet',
    database: 'postgres',
    request: { method: 'GET', path: '/fhir/R4/Binary' },
    async setup(ctx) {
      const { world, searchPatientDocuments } = await documentWorld(ctx);
      return rotate(world, searchPatientDocuments.map((d) => `/fhir/R4/Binary/${d.fileId}`));
    },
    goal: { minRps: 4_000, maxP99Ms: 20 },
  },
  {
    name: 'ITI-68 read a 100 KB PDF, 1,000 patients',
    target: 'carnet',
    database: 'postgres',
    request: { method: 'GET', path: '/fhir/R4/Binary' },
    async setup(ctx) {
      const { world, spreadDocuments } = await documentWorld(ctx);
      return rotate(world, spreadDocuments.map((d) => `/fhir/R4/Binary/${d.fileId}`));
    },
    goal: { minRps: 4_000, maxP99Ms: 20 },
  },
  {
    // Each read decided by the policy and audited, in rotation over one patient's 200 documents.
    name: 'DocumentReference read, 1 patient',
    target: 'carnet',
    database: 'postgres',
    request: { method: 'GET', path: '/fhir/R4/DocumentReference' },
    async setup(ctx) {
      const { world, searchPatientDocuments } = await documentWorld(ctx);
      return rotate(world, searchPatientDocuments.map((d) => `/fhir/R4/DocumentReference/${d.documentId}`));
    },
    goal: { minRps: 4_000, maxP99Ms: 20 },
  },
  {
    name: 'DocumentReference read, 1,000 patients',
    target: 'carnet',
    database: 'postgres',
    request: { method: 'GET', path: '/fhir/R4/DocumentReference' },
    async setup(ctx) {
      const { world, spreadDocuments } = await documentWorld(ctx);
      return rotate(world, spreadDocuments.map((d) => `/fhir/R4/DocumentReference/${d.documentId}`));
    },
    goal: { minRps: 4_000, maxP99Ms: 20 },
  },
];

/** Patient 0 holds the 200 documents searched and read; patient 1 receives the one-patient filing load. */
const SEARCH_PATIENT = 0;
const FILING_PATIENT = 1;
/** Patients 2 to 1,001 hold one document each. */
const SPREAD_PATIENTS = 2;

interface SeededDocuments {
  world: DocumentWorld;
  searchPatientDocuments: FiledDocument[];
  spreadDocuments: FiledDocument[];
}

/** Seeded once per run and shared by the document scenarios, all filed through ITI-65 itself. */
let seeded: Promise<SeededDocuments> | undefined;
function documentWorld(ctx: ScenarioContext): Promise<SeededDocuments> {
  seeded ??= (async () => {
    const world = await seedDocumentWorld(ctx.carnetUrl, ctx.databaseUrl!, SPREAD_PATIENTS + 1000);
    const pdf = benchPdf(100_000);
    const searchPatientDocuments = await fileDocuments(world, world.patients[SEARCH_PATIENT]!, Array.from({ length: 200 }, (_, i) => nthDocument(i, pdf)));
    const spreadDocuments: FiledDocument[] = [];
    const spread = world.patients.slice(SPREAD_PATIENTS);
    for (let start = 0; start < spread.length; start += 50) {
      const batch = spread.slice(start, start + 50);
      const filed = await Promise.all(batch.map((patient, i) => fileDocuments(world, patient, [nthDocument(start + i, pdf)], 1)));
      spreadDocuments.push(...filed.flat());
    }
    // A server in service has its planner statistics; a database filled a minute ago may not yet
    // (autovacuum analyses on its own schedule), and plans searches as if its tables were empty.
    await analyzeDatabase(ctx.databaseUrl!);
    return { world, searchPatientDocuments, spreadDocuments };
  })();
  return seeded;
}

/**
 * The live authorization header: the world renews its token in place, and each request of a
 * variant reads it, so a run longer than a token's life keeps working.
 */
function live(world: DocumentWorld, path: string): Partial<BenchRequest> {
  return rotate(world, [path]);
}

function rotate(world: DocumentWorld, paths: readonly string[]): Partial<BenchRequest> {
  return { path: paths[0]!, variants: paths.map((path) => ({ path, headers: world.headers })) };
}

/**
 * One ITI-65 Bundle per patient, serialised once, then cut around its two identifiers so each
 * request only joins strings: building and hashing 100 KB per request would load the generator's
 * core rather than the server.
 */
function filingLoad(world: DocumentWorld, patients: DocumentWorld['patients']): Partial<BenchRequest> {
  const MASTER = 'urn:uuid:00000000-0000-4000-8000-00000000aaaa';
  const SUBMISSION = 'urn:uuid:00000000-0000-4000-8000-00000000bbbb';
  const pdf = benchPdf(100_000, 'Compte rendu de consultation');
  const templates = patients.map((patient) => {
    const text = JSON.stringify(provideBundle(world, patient, [{ bytes: pdf, masterIdentifier: MASTER }], SUBMISSION));
    const [head, rest] = split(text, SUBMISSION);
    const [middle, tail] = split(rest, MASTER);
    return { head, middle, tail };
  });
  let next = 0;
  return {
    path: '/fhir/R4',
    variants: [{ path: '/fhir/R4', headers: world.headers }],
    freshBody: () => {
      const t = templates[next++ % templates.length]!;
      return `${t.head}urn:uuid:${randomUUID()}${t.middle}urn:uuid:${randomUUID()}${t.tail}`;
    },
  };
}

function split(text: string, marker: string): [string, string] {
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + 1) >= 0) throw new Error(`The bundle should name ${marker} exactly once.`);
  return [text.slice(0, at), text.slice(at + marker.length)];
}
