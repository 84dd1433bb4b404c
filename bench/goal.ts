import type { Goal } from './scenarios.ts';

export interface GoalOutcome {
  met: boolean;
  /** e.g. "≥ 4,000 req/s, p99 < 20 ms" */
  wanted: string;
  /** e.g. ["3,210 req/s < 4,000"] */
  misses: string[];
}

export function checkGoal(goal: Goal, figures: { requestsPerSecond: number; p99Ms: number }): GoalOutcome {
  const wanted: string[] = [];
  const misses: string[] = [];
  if (goal.minRps !== undefined) {
    wanted.push(`≥ ${thousands(goal.minRps)} req/s`);
    if (figures.requestsPerSecond < goal.minRps) {
      misses.push(`${thousands(figures.requestsPerSecond)} req/s < ${thousands(goal.minRps)}`);
    }
  }
  if (goal.maxP99Ms !== undefined) {
    wanted.push(`p99 < ${goal.maxP99Ms} ms`);
    if (!(figures.p99Ms < goal.maxP99Ms)) misses.push(`p99 ${figures.p99Ms.toFixed(1)} ms ≥ ${goal.maxP99Ms}`);
  }
  return { met: misses.length === 0, wanted: wanted.join(', '), misses };
}

export function thousands(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
