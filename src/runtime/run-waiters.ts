/**
 * `waitForRun`: resolves when a run has ended. A run that this process ends wakes its waiters at
 * once; one ended by another process wakes them through the store's notices (PostgreSQL's NOTIFY),
 * and, for stores that send none, by looking again every poll interval. Waiters subscribe before
 * they look, so an end between the look and the wait is never missed.
 */
import { NotFoundError } from "../errors.js";
import type { RunSummary } from "../store/store.js";
import type { Runtime } from "./context.js";
import { summaryOf } from "./runs.js";

export interface RunWaiters {
  /** Wake whoever waits for this run: with its summary when this process ended it, else to look. */
  ended(runId: string, summary?: RunSummary): void;
  /**
   * Resolves on `ended(runId)` (with the summary it was given), after `ms`, or when `signal`
   * aborts, whichever comes first.
   */
  wait(runId: string, ms: number, signal: AbortSignal | undefined): Promise<RunSummary | undefined>;
}

type Wake = (summary?: RunSummary) => void;

export function createRunWaiters(): RunWaiters {
  const waiting = new Map<string, Set<Wake>>();
  return {
    ended(runId, summary) {
      for (const wake of waiting.get(runId) ?? []) wake(summary);
    },
    wait(runId, ms, signal) {
      return new Promise<RunSummary | undefined>((resolve) => {
        const wakers = waiting.get(runId) ?? new Set<Wake>();
        waiting.set(runId, wakers);
        const done: Wake = (summary) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          wakers.delete(done);
          if (wakers.size === 0) waiting.delete(runId);
          resolve(summary);
        };
        const onAbort = () => done();
        const timer = setTimeout(onAbort, ms);
        wakers.add(done);
        if (signal?.aborted) onAbort();
        else signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
  };
}

/** The run's summary once it is no longer running; NOT_FOUND for an unknown run; the signal's reason on abort. */
export async function waitForRun(
  rt: Runtime,
  runId: string,
  options: { signal?: AbortSignal } = {},
): Promise<RunSummary> {
  const { signal } = options;
  const stopListening = rt.config.store.onNotice((notice) => {
    if (notice.kind === "run-ended" && notice.runId === runId) rt.waiters.ended(runId);
  });
  try {
    for (;;) {
      signal?.throwIfAborted();
      // Subscribed first, looked after: an end committed in between still wakes this wait.
      const woken = rt.waiters.wait(runId, rt.config.pollIntervalMs, signal);
      const stored = await rt.config.store.getRun(runId);
      if (!stored) throw new NotFoundError(`no run "${runId}"`, { details: { runId } });
      if (stored.state.status !== "running") {
        const summary = summaryOf(stored.state);
        rt.waiters.ended(runId, summary); // releases the wait just registered
        return summary;
      }
      const summary = await woken;
      if (summary) return summary;
    }
  } finally {
    stopListening();
  }
}
