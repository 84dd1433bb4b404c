/**
 * An in-process signal from `enqueueJob` to the workers of this process. `enqueueJob` only gets
 * the caller's database handle (often a transaction), so the signal cannot live in Deps; it is a
 * hint, never a guarantee: a job enqueued on another node waits for a poll.
 */
const listeners = new Set<() => void>();

/** Calls `listener` after each enqueue in this process; returns how to stop listening. */
export function onJobEnqueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceJobEnqueued(): void {
  for (const listener of listeners) listener();
}
