import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { thousands } from './goal.ts';
import type { LoadSettings } from './load.ts';
import type { Machine } from './machine.ts';
import type { ScenarioResult } from './scenario-runner.ts';
import { TARGET_LABELS, type Scenario } from './scenarios.ts';

export interface Comparison {
  scenario: string;
  baseline: string;
  /** The scenario's req/s as a percentage of the baseline's. */
  percent: number;
  /** e.g. "Carnet /healthz = 83 % of bare Fastify" */
  line: string;
}

export interface BenchReport {
  startedAt: string;
  machine: Machine;
  settings: LoadSettings & { host: string; rounds: number };
  scenarios: ScenarioResult[];
  comparisons: Comparison[];
}

export function compareWithBaselines(scenarios: readonly Scenario[], results: readonly ScenarioResult[]): Comparison[] {
  const byName = new Map(results.map((result) => [result.name, result]));
  const comparisons: Comparison[] = [];
  for (const scenario of scenarios) {
    const result = byName.get(scenario.name);
    const baseline = scenario.baseline === undefined ? undefined : byName.get(scenario.baseline);
    if (result === undefined || baseline === undefined) continue;
    const percent = (100 * result.figures.requestsPerSecond) / baseline.figures.requestsPerSecond;
    comparisons.push({
      scenario: result.name,
      baseline: baseline.name,
      percent,
      line: `${result.name} = ${Math.round(percent)} % of ${TARGET_LABELS[baseline.target]}`,
    });
  }
  return comparisons;
}

export function renderMarkdown(report: BenchReport): string {
  const { machine, settings } = report;
  const database =
    machine.database === 'postgres' ? `PostgreSQL ${machine.postgresVersion ?? ''}`.trim() : 'embedded (PGlite)';
  const lines = [
    `# Carnet benchmark, ${report.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`,
    '',
    `Node ${machine.node} · ${machine.cpuModel}, ${machine.cores} cores · ${(machine.totalMemoryMb / 1024).toFixed(1)} GB · ` +
      `${machine.os} · database: ${database}${machine.commit === undefined ? '' : ` · commit ${machine.commit}`}`,
    '',
    `autocannon: ${settings.durationSeconds} s measured after ${settings.warmupSeconds} s of warm-up, ` +
      `${settings.connections} connections, pipelining ${settings.pipelining}, over ${settings.host}; ` +
      `${settings.rounds} interleaved rounds per scenario, the median round reported.`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | errors | server RSS MB (peak) | CPU ms/req server · db | goal | req/s of each round |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|',
    ...report.scenarios.map(row),
  ];
  if (report.comparisons.length > 0) lines.push('', ...report.comparisons.map((comparison) => comparison.line));
  return `${lines.join('\n')}\n`;
}

function row(result: ScenarioResult): string {
  const { figures, serverMemoryMb, goal } = result;
  const cells = [
    result.name,
    thousands(figures.requestsPerSecond),
    figures.p50Ms.toFixed(2),
    figures.p99Ms.toFixed(2),
    thousands(figures.non2xx + figures.errors),
    serverMemoryMb === null ? 'n/a' : `${serverMemoryMb.peak.toFixed(1)}${serverMemoryMb.peakIsThisScenario ? '' : ' (since start)'}`,
    cpuCell(result.cpuMsPerRequest),
    goal === null ? '—' : goal.met ? `met (${goal.wanted})` : `**missed** (${goal.misses.join('; ')})`,
    (result.rounds ?? []).map(thousands).join(' · '),
  ];
  return `| ${cells.join(' | ')} |`;
}

function cpuCell(cpu: ScenarioResult['cpuMsPerRequest']): string {
  if (cpu === null) return 'n/a';
  return cpu.database === null ? cpu.server.toFixed(3) : `${cpu.server.toFixed(3)} · ${cpu.database.toFixed(3)}`;
}

/** Writes `<stamp>.json` and `<stamp>.md`, stamp being the start time in UTC, e.g. 2025-11-23T05-30-00. */
export async function writeReport(report: BenchReport, directory: string): Promise<{ json: string; markdown: string }> {
  const stamp = report.startedAt.slice(0, 19).replaceAll(':', '-');
  await mkdir(directory, { recursive: true });
  const json = path.join(directory, `${stamp}.json`);
  const markdown = path.join(directory, `${stamp}.md`);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, renderMarkdown(report));
  return { json, markdown };
}
