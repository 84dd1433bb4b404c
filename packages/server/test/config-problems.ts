import { ConfigError, loadConfig } from '../src/config.ts';

/** What loadConfig reports for `env`; fails the test when it accepts it. */
export function configProblemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
