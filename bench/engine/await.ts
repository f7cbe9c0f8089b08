/**
 * Waiting for runs to end. `awaitRun` is the one place that waits for a single run: it calls
 * `engine.waitForRun` (woken at once by this process's own commits, by the store's notices from
 * other processes, or by the engine's poll interval for stores that send none).
 */
import type { Engine } from "../../src/runtime/engine.js";
import type { RunSummary } from "../../src/store/store.js";
import { now, sleep } from "./stats.js";

export const POLL_MS = 2;

export async function awaitRun(engine: Engine, runId: string, deadlineMs = 60_000): Promise<RunSummary> {
  const stop = new AbortController();
  try {
    return await withDeadline(engine.waitForRun(runId, { signal: stop.signal }), deadlineMs, `run ${runId}`);
  } finally {
    stop.abort();
  }
}

/**
 * How W1 and W4 wait for their many runs:
 * - "each" (the default, the peers' pattern: a promise per workflow that resolves with its result):
 *   each start is followed by `awaitRun` of its run; the end is when the last one resolves.
 * - "drain": once every start has returned, poll
 *   `listRuns({ workflow, status: "running", limit: 1 })` every 2 ms until it is empty: one query a
 *   poll whatever the number of runs, at the cost of at most one poll interval at the end.
 */
export type AwaitMode = "each" | "drain";
export const AWAIT_MODES: readonly AwaitMode[] = ["each", "drain"];

/** Until no run of `workflow` is running any more; the time (performance.now) it saw that. */
export async function awaitWorkflowDrained(
  engine: Engine,
  workflow: string,
  deadlineMs: number,
): Promise<number> {
  const poll = async (): Promise<number> => {
    for (;;) {
      const page = await engine.listRuns({ workflow, status: "running", limit: 1 });
      if (page.items.length === 0) return now();
      await sleep(POLL_MS);
    }
  };
  return withDeadline(poll(), deadlineMs, `the runs of ${workflow}`);
}

export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`deadline of ${ms} ms exceeded waiting for ${what}`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
