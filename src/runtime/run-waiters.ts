/**
 * `waitForRun`: resolves when a run has ended. A run that this process ends wakes its waiters at
 * once, with its summary; one ended by another process wakes them through the store's notices
 * (PostgreSQL's NOTIFY). A store that sends none is looked at again every poll interval; one that
 * does only every {@link NOTIFIED_LOOK_FACTOR} intervals, as a safety net. Waiters subscribe before
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
  /** Wake every waiter to look again (notices may have been lost). */
  wakeAll(): void;
}

type Wake = (summary?: RunSummary) => void;

export function createRunWaiters(): RunWaiters {
  const waiting = new Map<string, Set<Wake>>();
  return {
    ended(runId, summary) {
      for (const wake of waiting.get(runId) ?? []) wake(summary);
    },
    wakeAll() {
      for (const wakers of [...waiting.values()]) for (const wake of [...wakers]) wake();
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

/** With live notices, a waiter looks again only every this many poll intervals. */
export const NOTIFIED_LOOK_FACTOR = 30;

/** The run's summary once it is no longer running; NOT_FOUND for an unknown run; the signal's reason on abort. */
export async function waitForRun(
  rt: Runtime,
  runId: string,
  options: { signal?: AbortSignal } = {},
): Promise<RunSummary> {
  const { signal } = options;
  rt.notices.start();
  for (;;) {
    signal?.throwIfAborted();
    // Subscribed first, looked after: an end committed in between still wakes this wait.
    const interval = rt.config.pollIntervalMs * (rt.notices.live ? NOTIFIED_LOOK_FACTOR : 1);
    const woken = rt.waiters.wait(runId, interval, signal);
    const stored = await rt.config.store.getRun(runId).catch((error: unknown) => {
      rt.waiters.ended(runId); // releases the wait just registered
      throw error;
    });
    if (!stored) {
      rt.waiters.ended(runId);
      throw new NotFoundError(`no run "${runId}"`, { details: { runId } });
    }
    if (stored.state.status !== "running") {
      const summary = summaryOf(stored.state);
      rt.waiters.ended(runId, summary); // releases the wait just registered
      return summary;
    }
    const summary = await woken;
    if (summary) return summary;
  }
}
