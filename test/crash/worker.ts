/**
 * A crash-test worker process: an engine on the SQLite file given, with handlers that record every
 * execution and apply their side effect once per idempotency key, in a separate SQLite file:
 *
 * - `effects(key PRIMARY KEY, count)`: executions, `INSERT ... ON CONFLICT DO UPDATE count = count + 1`
 * - `applied(key PRIMARY KEY, ...)`: the side effect itself, `INSERT OR IGNORE`, so it happens once
 *
 * Prints "ready" when it works; SIGTERM stops it gracefully, SIGKILL (the test) at any moment.
 * Usage: node --import tsx test/crash/worker.ts <store.db> <effects.db> <worker-id>
 */
import Database from "better-sqlite3";
import { createEngine } from "../../src/runtime/create-engine.js";
import type { ActionContext } from "../../src/runtime/engine.js";
import { defineAction } from "../../src/runtime/handlers.js";
import { createSqliteStore } from "../../src/store/sqlite/index.js";
import { CRASH_HANDLERS } from "./charters.js";

const [storePath, effectsPath, workerId] = process.argv.slice(2);
if (!storePath || !effectsPath || !workerId) {
  process.stderr.write("usage: worker.ts <store.db> <effects.db> <worker-id>\n");
  process.exit(2);
}

const effects = openEffects(effectsPath);
const execute = effects.prepare(
  "INSERT INTO effects (key, count) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET count = count + 1",
);
const apply = effects.prepare(
  "INSERT OR IGNORE INTO applied (key, run_id, step, worker) VALUES (?, ?, ?, ?)",
);

const handlers = CRASH_HANDLERS.map((name) =>
  defineAction({
    name,
    run: async (input: { n?: number }, context: ActionContext) => {
      await pause(20 + Math.random() * 40, context.signal);
      execute.run(context.idempotencyKey);
      // A kill here leaves an execution without its effect: the retry applies it.
      await pause(Math.random() * 10, context.signal);
      apply.run(context.idempotencyKey, context.runId, context.stepId, workerId);
      if (name === "crash.ship" && (input.n ?? 0) % 3 === 0 && context.attempt === 1)
        throw new Error("carrier busy"); // retried after a backoff timer
      return name === "crash.reserve" ? { reserved: true } : { done: name };
    },
  }),
);

const store = createSqliteStore({ path: storePath, synchronous: "NORMAL" });
const engine = createEngine({
  store,
  handlers,
  workerId,
  concurrency: 4,
  leaseMs: 1000,
  pollIntervalMs: 20,
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
           CREATE TABLE IF NOT EXISTS applied (key TEXT PRIMARY KEY, run_id TEXT NOT NULL, step TEXT NOT NULL, worker TEXT NOT NULL);`);
  return db;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason as Error)), {
      once: true,
    });
  });
}
