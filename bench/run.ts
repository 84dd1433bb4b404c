import path from 'node:path';
import { startBareFastify } from './bare-fastify-process.ts';
import { createBenchDatabase, waitForQuietJobQueue } from './bench-database.ts';
import { startCarnet } from './carnet-process.ts';
import type { ChildServer } from './child-server.ts';
import { CleanupStack } from './cleanup-stack.ts';
import { findFreePort } from './free-port.ts';
import type { LoadSettings } from './load.ts';
import { describeMachine } from './machine.ts';
import { compareWithBaselines, renderMarkdown, writeReport, type BenchReport } from './report.ts';
import { medianRound, prepareRequest, runScenario } from './scenario-runner.ts';
import { type BenchRequest, scenarios, type Scenario, type ScenarioContext, type Target } from './scenarios.ts';
import type { ScenarioResult } from './scenario-runner.ts';

const HOST = '127.0.0.1';
const RESULTS_DIR = path.join(import.meta.dirname, 'results');

const adminDatabaseUrl = process.env.DATABASE_URL?.trim() || undefined;

const cleanup = new CleanupStack();
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the servers and removing what the run created…`);
    void cleanup.runAll().then((problems) => {
      for (const problem of problems) log(`cleanup failed: ${problem}`);
      process.exit(code);
    });
  });
}

try {
  await run();
} catch (error) {
  log(`bench failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  const problems = await cleanup.runAll();
  for (const problem of problems) log(`cleanup failed: ${problem}`);
  if (problems.length > 0) process.exitCode = 1;
}

async function run() {
  const settings: LoadSettings = {
    durationSeconds: positiveInteger('BENCH_DURATION', 10),
    warmupSeconds: 2,
    connections: 50,
    pipelining: 1,
  };
  const databaseKind = adminDatabaseUrl === undefined ? 'embedded' : 'postgres';
  const skipped = scenarios.filter((scenario) => scenario.database !== undefined && scenario.database !== databaseKind);
  for (const scenario of skipped) log(`skipped "${scenario.name}": it runs on ${scenario.database} only`);
  const selected = select(scenarios.filter((scenario) => !skipped.includes(scenario)), process.env.BENCH_ONLY);
  const startedAt = new Date();
  let databaseUrl: string | undefined;
  let postgresVersion: string | undefined;
  if (adminDatabaseUrl !== undefined) {
    const database = await createBenchDatabase(adminDatabaseUrl, startedAt);
    cleanup.defer(`drop database ${database.name}`, database.drop);
    databaseUrl = database.url;
    postgresVersion = database.serverVersion;
    log(`created database ${database.name} on PostgreSQL ${postgresVersion}`);
  }

  const servers: Partial<Record<Target, ChildServer>> = {};
  const targets = new Set(selected.map((scenario) => scenario.target));
  const carnetPort = await findFreePort(HOST);
  if (targets.has('carnet')) {
    const carnet = await startCarnet({ host: HOST, port: carnetPort, databaseUrl });
    cleanup.defer('remove the data folder', carnet.cleanup);
    cleanup.defer('stop Carnet', carnet.server.stop);
    servers.carnet = carnet.server;
    log(`Carnet ready at ${carnet.server.url} (pid ${carnet.server.pid}, ${databaseUrl ? 'PostgreSQL' : 'embedded database'})`);
  }
  if (targets.has('bare')) {
    const bare = await startBareFastify({ host: HOST, port: await findFreePort(HOST) });
    cleanup.defer('stop bare Fastify', bare.stop);
    servers.bare = bare;
    log(`bare Fastify ready at ${bare.url} (pid ${bare.pid})`);
  }

  const ctx: ScenarioContext = {
    carnetUrl: servers.carnet?.url ?? `http://${HOST}:${carnetPort}`,
    databaseUrl,
    databaseKind: databaseUrl === undefined ? 'embedded' : 'postgres',
  };
  const rounds = positiveInteger('BENCH_ROUNDS', 3);
  const requests = new Map<Scenario, BenchRequest>();
  for (const scenario of selected) requests.set(scenario, await prepareRequest(scenario, ctx));
  const runs = new Map<Scenario, ScenarioResult[]>(selected.map((scenario) => [scenario, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const scenario of selected) {
      const server = servers[scenario.target];
      const request = requests.get(scenario);
      if (server === undefined || request === undefined) throw new Error(`No server runs for target ${scenario.target}.`);
      if (ctx.databaseUrl !== undefined && scenario.target === 'carnet') await waitForQuietJobQueue(ctx.databaseUrl);
      log(`round ${round}/${rounds} ${scenario.name}: ${settings.warmupSeconds} s warm-up, ${settings.durationSeconds} s measured…`);
      runs.get(scenario)?.push(await runScenario(scenario, request, server, settings, ctx.databaseKind));
    }
  }
  const results = selected.map((scenario) => medianRound(runs.get(scenario) ?? []));

  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    machine: describeMachine(ctx.databaseKind, postgresVersion),
    settings: { ...settings, host: HOST, rounds },
    scenarios: results,
    comparisons: compareWithBaselines(selected, results),
  };
  const files = await writeReport(report, RESULTS_DIR);
  process.stdout.write(`\n${renderMarkdown(report)}\n`);
  log(`written ${path.relative(process.cwd(), files.json)} and ${path.relative(process.cwd(), files.markdown)}`);
}

/** BENCH_ONLY=healthz runs the scenarios whose name contains "healthz", plus their baselines. */
function select(all: readonly Scenario[], filter: string | undefined): Scenario[] {
  const names = new Set(all.map((scenario) => scenario.name));
  if (names.size !== all.length) throw new Error('Two scenarios in bench/scenarios.ts share a name.');
  for (const scenario of all) {
    if (scenario.baseline !== undefined && !names.has(scenario.baseline)) {
      throw new Error(`Scenario "${scenario.name}" names an unknown baseline "${scenario.baseline}".`);
    }
  }
  const wanted = filter?.trim().toLowerCase();
  if (!wanted) return [...all];
  const chosen = new Set(all.filter((scenario) => scenario.name.toLowerCase().includes(wanted)));
  for (const scenario of [...chosen]) {
    const baseline = all.find((other) => other.name === scenario.baseline);
    if (baseline !== undefined) chosen.add(baseline);
  }
  if (chosen.size === 0) throw new Error(`BENCH_ONLY="${filter}" matches no scenario in bench/scenarios.ts.`);
  return all.filter((scenario) => chosen.has(scenario));
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) === 0) {
    throw new Error(`${name} must be a whole number above 0, got "${raw}".`);
  }
  return Number(raw);
}

function log(message: string) {
  process.stderr.write(`${message}\n`);
}
