/**
 * A worker process: `node --import tsx bench/engine/worker-process.ts '<json>'`, forked by the
 * benchmark with an IPC channel. It opens the store, creates an engine with the benchmark's
 * handlers and runs `runWorker`.
 *
 * - mode "serve": says { type: "ready" } once working, and works until told { type: "stop" } (or
 *   its parent goes away), then says { type: "stopped" } and exits.
 * - mode "memory" (W5; run with --expose-gc): works for `seconds`, then collects garbage twice and
 *   reports { type: "memory", rss, heapUsed, heapTotal, external } while its worker still runs.
 */
import { createEngine } from "../../src/runtime/create-engine.js";
import { benchHandlers } from "./handlers.js";
import { sleep } from "./stats.js";
import type { StoreSpec } from "./stores.js";
import { openStore } from "./stores.js";

export interface WorkerProcessConfig {
  readonly store: StoreSpec;
  readonly concurrency: number;
  readonly workerId: string;
  readonly mode: "serve" | "memory";
  readonly seconds?: number;
  readonly pollIntervalMs?: number;
}

export type WorkerMessage =
  | { readonly type: "ready" }
  | { readonly type: "stopped" }
  | {
      readonly type: "memory";
      readonly rss: number;
      readonly heapUsed: number;
      readonly heapTotal: number;
      readonly external: number;
    }
  | { readonly type: "error"; readonly message: string };

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "{}") as WorkerProcessConfig;
  const store = await openStore(config.store);
  const engine = createEngine({
    store,
    handlers: benchHandlers,
    concurrency: config.concurrency,
    workerId: config.workerId,
    ...(config.pollIntervalMs === undefined ? {} : { pollIntervalMs: config.pollIntervalMs }),
  });
  const stop = new AbortController();
  const working = engine.runWorker({ signal: stop.signal });

  if (config.mode === "memory") {
    await sleep((config.seconds ?? 3) * 1000);
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error("run the memory probe with --expose-gc");
    gc();
    await sleep(100);
    gc();
    const usage = process.memoryUsage();
    await send({
      type: "memory",
      rss: usage.rss,
      heapUsed: usage.heapUsed,
      heapTotal: usage.heapTotal,
      external: usage.external,
    });
    stop.abort();
  } else {
    const stopped = new Promise<void>((resolve) => {
      process.on("message", (message: { type?: string }) => {
        if (message?.type === "stop") resolve();
      });
      process.on("disconnect", () => resolve());
    });
    await send({ type: "ready" });
    await stopped;
    stop.abort();
  }
  await working;
  await engine.close();
  if (process.connected) await send({ type: "stopped" });
  process.exit(0);
}

main().catch(async (error: unknown) => {
  await send({ type: "error", message: String((error as Error)?.stack ?? error) });
  process.exit(1);
});
