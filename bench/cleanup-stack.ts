/**
 * What a run must undo (servers, data folder, bench database), undone newest first so Carnet
 * stops before its database goes, and undone even when the run fails or is interrupted.
 */
export class CleanupStack {
  #tasks: { what: string; run: () => Promise<void> }[] = [];

  defer(what: string, run: () => Promise<void>) {
    this.#tasks.push({ what, run });
  }

  /** Runs every task once, whatever the others do; returns what went wrong. */
  async runAll(): Promise<string[]> {
    const problems: string[] = [];
    for (let task = this.#tasks.pop(); task !== undefined; task = this.#tasks.pop()) {
      try {
        await task.run();
      } catch (error) {
        problems.push(`${task.what}: ${(error as Error).message}`);
      }
    }
    return problems;
  }
}
