/**
 * `createEngine(config)`: the facade over the store and the pure engine core. Each method is thin:
 * it resolves what the caller gave (actor roles, the latest version) into one engine event, and
 * `commit.ts` applies it. Workers (`runUntilIdle`, `runWorker`) carry out the commands.
 */
import { ConflictError, isCharterError, StoreError } from "../errors.js";
import { createCharters } from "./charters.js";
import { createCommitQueue } from "./commit-queue.js";
import { applyEvent } from "./commit.js";
import type { Runtime } from "./context.js";
import { carryOut } from "./effects.js";
import type { Engine, EngineConfig } from "./engine.js";
import { claimTask, decide, listTasks } from "./inbox.js";
import { createNoticeHub } from "./notices.js";
import { resolveEngineConfig } from "./options.js";
import { createRunStates } from "./run-states.js";
import { createRunWaiters, waitForRun } from "./run-waiters.js";
import { request } from "./requests.js";
import { getRun, start, timeline, verifyAudit } from "./runs.js";
import { requireActor, requireText } from "./validate.js";
import { createWaker } from "./waker.js";
import { runUntilIdle, runWorker } from "./worker.js";

export function createEngine(config: EngineConfig): Engine {
  const resolved = resolveEngineConfig(config);
  const { store } = resolved;
  const waker = createWaker();
  const waiters = createRunWaiters();
  const rt: Runtime = {
    config: resolved,
    charters: createCharters(store, resolved.clock, resolved.directory),
    waker,
    commits: createCommitQueue(store),
    states: createRunStates(),
    waiters,
    notices: createNoticeHub(store, waker, waiters),
    local: undefined,
    carryOut: (runId, command) => carryOut(rt, runId, command),
  };
  const workers = new Set<{ stop: AbortController; done: Promise<void> }>();
  let closed = false;

  /** Every method refuses a closed engine (its store is closed) and reports store failures (SQLite, PostgreSQL, a lost connection) as STORE. */
  const live =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (closed) throw new ConflictError("the engine is closed: create another one", { details: {} });
      try {
        return await method(...args);
      } catch (error) {
        throw storeError(error) ?? error;
      }
    };

  const engine: Omit<Engine, "close"> = {
    deploy: (charter, source) => rt.charters.deploy(charter, source),
    start: (workflow, options) => start(rt, workflow, options),
    getRun: (runId) => getRun(rt, runId),
    listRuns: (filter = {}) => store.listRuns(filter),
    timeline: (runId) => timeline(rt, runId),
    listTasks: (filter = {}) => listTasks(rt, filter),
    claimTask: (taskId, as) => claimTask(rt, taskId, as),
    decide: (taskId, options) => decide(rt, taskId, options),
    listExceptions: (filter = {}) => store.listExceptions(filter),
    retryException: async (runId, instance, options) => {
      const by = requireActor(options.as);
      const event = { type: "exception.retried" as const, instance, by, reason: options.reason };
      await request(rt, runId, event, { instance });
    },
    skipException: async (runId, instance, options) => {
      const by = requireActor(options.as);
      const to = requireText(options.to, "to");
      const event = { type: "exception.skipped" as const, instance, to, by, reason: options.reason };
      await request(rt, runId, event, { instance });
    },
    cancelRun: async (runId, options) => {
      const by = requireActor(options.as);
      await request(rt, runId, { type: "run.cancelled", by, reason: options.reason });
    },
    sendEvent: (name, options) => sendEvent(rt, name, options),
    runUntilIdle: () => runUntilIdle(rt),
    runWorker: async ({ signal }) => {
      const stop = new AbortController();
      const onAbort = () => stop.abort(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
      const worker = { stop, done: runWorker(rt, stop.signal) };
      workers.add(worker);
      try {
        await worker.done;
      } finally {
        workers.delete(worker);
        signal.removeEventListener("abort", onAbort);
      }
    },
    waitForRun: (runId, options) => waitForRun(rt, runId, options),
    verifyAudit: (runId) => verifyAudit(rt, runId),
  };

  const wrapped = Object.fromEntries(
    Object.entries(engine).map(([name, method]) => [
      name,
      live(method as (...args: unknown[]) => Promise<unknown>),
    ]),
  ) as unknown as Omit<Engine, "close">;

  return {
    ...wrapped,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const worker of workers) worker.stop.abort(new Error("the engine is closing"));
      await Promise.allSettled([...workers].map((w) => w.done));
      rt.notices.stop();
      await store.close();
    },
  };
}

async function sendEvent(
  rt: Runtime,
  name: string,
  options: { key: string; data?: unknown },
): Promise<{ delivered: number }> {
  const key = String(options.key);
  const subscriptions = await rt.config.store.findSubscriptions(requireText(name, "name"), key);
  let delivered = 0;
  const stale: string[] = [];
  for (const runId of new Set(subscriptions.map((s) => s.runId))) {
    const event = { type: "event.received" as const, name, key, data: options.data ?? {} };
    const outcome = await applyEvent(rt, runId, event, { kind: "internal" });
    if (outcome.kind === "applied") delivered++;
    if (outcome.kind === "stale") stale.push(runId);
  }
  // Never lose an event silently: the caller sends it again (runs that got it no longer wait for it).
  if (stale.length > 0)
    throw new ConflictError(`runs kept changing while event "${name}" was delivered: send it again`, {
      details: { delivered, runs: stale },
    });
  return { delivered };
}

/**
 * Failures of the store, not of the caller: better-sqlite3's `SQLITE_*` codes (busy, full, corrupt),
 * PostgreSQL's five-character SQLSTATEs, and the network errors of a lost connection.
 */
function storeError(error: unknown): StoreError | undefined {
  if (isCharterError(error)) return undefined;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !isStoreFailureCode(code)) return undefined;
  return new StoreError(`the store failed: ${(error as Error).message}`, {
    details: { storeCode: code },
    cause: error,
  });
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
]);

function isStoreFailureCode(code: string): boolean {
  return code.startsWith("SQLITE_") || /^[0-9A-Z]{5}$/.test(code) || NETWORK_CODES.has(code);
}
