import type { ChildServer } from './child-server.ts';
import { checkGoal, type GoalOutcome } from './goal.ts';
import { measureLoad, warmUp, type LoadFigures, type LoadSettings } from './load.ts';
import { cpuSpentBetween, readCommandCpuMs, readProcessCpuMs } from './process-cpu.ts';
import { readProcessMemory, resetPeakMemory } from './process-memory.ts';
import type { BenchRequest, Scenario, ScenarioContext, Target } from './scenarios.ts';

export interface ScenarioResult {
  name: string;
  target: Target;
  request: { method: string; path: string };
  figures: LoadFigures;
  /** The target server's memory; null where /proc is missing. */
  serverMemoryMb: {
    /** VmHWM after the measured run. */
    peak: number;
    /** VmRSS after the measured run. */
    current: number;
    /** False when the peak could not be reset and so covers the server's whole life. */
    peakIsThisScenario: boolean;
  } | null;
  /**
   * CPU time per answered request over the measured run, in ms: the target server's (all its
   * threads) and the database server's (every `postgres` process; null on the embedded database,
   * which runs inside the server, and for the bare Fastify target). What the two cores spend per
   * request, steadier than req/s on a busy machine.
   */
  cpuMsPerRequest: { server: number; database: number | null } | null;
  goal: GoalOutcome | null;
  /** req/s of every round, in the order they ran; the figures are the median round's. */
  rounds?: number[];
}

/** Runs the scenario's setup once and returns the request its rounds will send. */
export async function prepareRequest(scenario: Scenario, ctx: ScenarioContext): Promise<BenchRequest> {
  const overrides = (await scenario.setup?.(ctx)) ?? {};
  return {
    ...scenario.request,
    ...overrides,
    headers: { ...scenario.request.headers, ...overrides.headers },
  };
}

export async function runScenario(
  scenario: Scenario,
  request: BenchRequest,
  server: ChildServer,
  settings: LoadSettings,
  databaseKind: ScenarioContext['databaseKind'],
): Promise<ScenarioResult> {
  await warmUp(server.url, request, settings);
  const peakIsThisScenario = await resetPeakMemory(server.pid);
  const cpuBefore = await readCpu(server.pid, scenario, databaseKind);
  const figures = await measureLoad(server.url, request, settings);
  const cpuAfter = await readCpu(server.pid, scenario, databaseKind);
  const memory = await readProcessMemory(server.pid);

  return {
    name: scenario.name,
    target: scenario.target,
    request: { method: request.method, path: request.path },
    figures,
    serverMemoryMb:
      memory === undefined
        ? null
        : { peak: tenths(memory.peakMb), current: tenths(memory.currentMb), peakIsThisScenario },
    cpuMsPerRequest: perRequest(cpuBefore, cpuAfter, figures.totalRequests),
    goal: scenario.goal === undefined ? null : checkGoal(scenario.goal, figures),
  };
}

interface CpuReading {
  server: number | undefined;
  database: Map<number, number> | undefined;
}

async function readCpu(pid: number, scenario: Scenario, databaseKind: ScenarioContext['databaseKind']): Promise<CpuReading> {
  const measuresDatabase = scenario.target === 'carnet' && databaseKind === 'postgres';
  return { server: await readProcessCpuMs(pid), database: measuresDatabase ? await readCommandCpuMs('postgres') : undefined };
}

function perRequest(before: CpuReading, after: CpuReading, requests: number): ScenarioResult['cpuMsPerRequest'] {
  if (before.server === undefined || after.server === undefined || requests === 0) return null;
  const database = before.database === undefined || after.database === undefined ? null : thousandths(cpuSpentBetween(before.database, after.database) / requests);
  return { server: thousandths((after.server - before.server) / requests), database };
}

const thousandths = (value: number) => Math.round(value * 1000) / 1000;

const tenths = (value: number) => Math.round(value * 10) / 10;

/**
 * The round with the median throughput. Servers and load generator share two cores, so one run
 * swings by 15–25 %; interleaving rounds of every scenario and keeping the median makes ratios
 * between scenarios comparable.
 */
export function medianRound(rounds: readonly ScenarioResult[]): ScenarioResult {
  const sorted = [...rounds].sort((a, b) => a.figures.requestsPerSecond - b.figures.requestsPerSecond);
  const median = sorted[Math.floor(sorted.length / 2)];
  if (median === undefined) throw new Error('A scenario ran no round.');
  return { ...median, rounds: rounds.map((round) => round.figures.requestsPerSecond) };
}
