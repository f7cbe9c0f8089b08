/**
 * A crash-test worker process: an engine on the store a spec names (`sqlite:PATH` or
 * `postgres://...?schema=NAME`), with handlers that record every execution and apply their side
 * effect once per idempotency key, in a separate SQLite file (the outside world, shared by every
 * worker process):
 *
 * - `effects(key PRIMARY KEY, count)`: executions, `INSERT ... ON CONFLICT DO UPDATE count = count + 1`
 * - `applied(key PRIMARY KEY, ...)`: the side effect itself, `INSERT OR IGNORE`, so it happens once
 * - `overstays(key, worker)`: executions that kept running past their lease on purpose (options)
 * - `stale(worker, kind, job_id, lease)`: this worker's job results the store refused because
 *   another lease had taken the job (a commit, or a completion with no transition)
 *
 * Prints "ready" when it works; SIGTERM stops it gracefully, SIGKILL (the test) at any moment.
 * Usage: node --import tsx test/crash/worker.ts <store-spec> <effects.db> <worker-id> [options JSON]
 */
import Database from "better-sqlite3";
import { parseStoreSpec } from "../../src/config/store-spec.js";
import { createEngine } from "../../src/runtime/create-engine.js";
import type { ActionContext } from "../../src/runtime/engine.js";
import { defineAction } from "../../src/runtime/handlers.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/store.js";
import { CRASH_HANDLERS } from "./charters.js";

export interface WorkerOptions {
  /** @default 20 */
  readonly pollIntervalMs?: number;
  /** @default 1000 */
  readonly leaseMs?: number;
  /** @default 4 */
  readonly concurrency?: number;
  /**
   * Every this many orders (`n % overstayEvery === 1`), the first execution of `crash.reserve`
   * sleeps past its lease after applying its effect, so that another lease takes the job and this
   * worker comes back stale. 0: never. @default 0
   */
  readonly overstayEvery?: number;
}

const [spec, effectsPath, workerId, json] = process.argv.slice(2);
if (!spec || !effectsPath || !workerId) {
  process.stderr.write("usage: worker.ts <store-spec> <effects.db> <worker-id> [options JSON]\n");
  process.exit(2);
}
const options = JSON.parse(json ?? "{}") as WorkerOptions;
const leaseMs = options.leaseMs ?? 1000;
const overstayEvery = options.overstayEvery ?? 0;

const effects = openEffects(effectsPath);
const execute = effects.prepare<[string], { count: number }>(
  "INSERT INTO effects (key, count) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET count = count + 1 RETURNING count",
);
const apply = effects.prepare(
  "INSERT OR IGNORE INTO applied (key, run_id, step, worker) VALUES (?, ?, ?, ?)",
);
const overstayed = effects.prepare("INSERT INTO overstays (key, worker) VALUES (?, ?)");
const refused = effects.prepare("INSERT INTO stale (worker, kind, job_id, lease) VALUES (?, ?, ?, ?)");

const handlers = CRASH_HANDLERS.map((name) =>
  defineAction({
    name,
    run: async (input: { n?: number }, context: ActionContext) => {
      await pause(20 + Math.random() * 40, context.signal);
      const executions = execute.get(context.idempotencyKey)!.count;
      // A kill here leaves an execution without its effect: the retry applies it.
      await pause(Math.random() * 10, context.signal);
      apply.run(context.idempotencyKey, context.runId, context.stepId, workerId);
      const n = input.n ?? 0;
      if (name === "crash.reserve" && overstayEvery > 0 && n % overstayEvery === 1 && executions === 1) {
        overstayed.run(context.idempotencyKey, workerId);
        await pause(leaseMs * 1.6, context.signal); // another worker leases the job meanwhile
      }
      if (name === "crash.ship" && n % 3 === 0 && context.attempt === 1) throw new Error("carrier busy"); // retried after a backoff timer
      return name === "crash.reserve" ? { reserved: true } : { done: name };
    },
  }),
);

const store = recordingRefusals(await openStore(parseStoreSpec(spec, process.cwd(), "crash worker store")));
const engine = createEngine({
  store,
  handlers,
  workerId,
  concurrency: options.concurrency ?? 4,
  leaseMs,
  pollIntervalMs: options.pollIntervalMs ?? 20,
  shutdownGraceMs: 2000,
});
const stop = new AbortController();
process.on("SIGTERM", () => stop.abort());
process.stdout.write("ready\n");
await engine.runWorker({ signal: stop.signal });
await engine.close();
effects.close();

function openEffects(file: string): Database.Database {
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  db.pragma("journal_mode = WAL");
  db.exec(`CREATE TABLE IF NOT EXISTS effects (key TEXT PRIMARY KEY, count INTEGER NOT NULL);
           CREATE TABLE IF NOT EXISTS applied (key TEXT PRIMARY KEY, run_id TEXT NOT NULL, step TEXT NOT NULL, worker TEXT NOT NULL);
           CREATE TABLE IF NOT EXISTS overstays (key TEXT NOT NULL, worker TEXT NOT NULL);
           CREATE TABLE IF NOT EXISTS stale (worker TEXT NOT NULL, kind TEXT NOT NULL, job_id TEXT NOT NULL, lease INTEGER NOT NULL);`);
  return db;
}

/** The store, with every refused job result written down (what a stale worker is refused). */
function recordingRefusals(inner: Store): Store {
  const commitBatch: Store["commitBatch"] = async (writes) => {
    const results = await inner.commitBatch(writes);
    results.forEach((result, i) => {
      const write = writes[i]!;
      if (!result.ok && write.kind === "commit" && write.job)
        refused.run(workerId, "commit", write.job.jobId, write.job.lease);
    });
    return results;
  };
  const completeJob: Store["completeJob"] = async (job) => {
    const done = await inner.completeJob(job);
    if (!done && job.lease > 0) refused.run(workerId, "complete", job.jobId, job.lease);
    return done;
  };
  return new Proxy(inner, {
    get(target, property) {
      if (property === "commitBatch") return commitBatch;
      if (property === "completeJob") return completeJob;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason as Error)), {
      once: true,
    });
  });
}
