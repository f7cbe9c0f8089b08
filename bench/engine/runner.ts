/**
 * Rounds of W1-W4 on one configuration (a store and its workers), each round on a fresh store:
 * the benchmark's own process always starts the runs and works, as the peers' single process does
 * (SQLite: the embedded mode); with PostgreSQL, N worker processes are this one and N - 1 more.
 */
import { createEngine } from "../../src/runtime/create-engine.js";
import type { Engine } from "../../src/runtime/engine.js";
import type { AwaitMode } from "./await.js";
import { benchCharters } from "./charters.js";
import { benchHandlers } from "./handlers.js";
import type { Workload } from "./options.js";
import type { StoreKind } from "./stores.js";
import { freshStore, openStore, pgCheckpoint } from "./stores.js";
import { startWorkers } from "./workers.js";
import type { W1Result, W2Result, W3Result, W4Result } from "./workloads.js";
import { w1, w2, w3, w4 } from "./workloads.js";

export interface Configuration {
  readonly store: StoreKind;
  /** Processes that work: this one, and `workers - 1` worker processes beside it. */
  readonly workers: number;
  readonly label: string;
}

export type Outcome<T> = T | { readonly error: string };

export interface RoundResult {
  readonly round: number;
  /** The round could not be set up (store, deploy, workers): no workload ran. */
  error?: string;
  W1?: Outcome<W1Result>;
  W2?: Outcome<W2Result>;
  W3?: Outcome<W3Result>;
  W4?: Outcome<W4Result & { readonly ratio_to_w1: number | null }>;
}

export function isError<T>(outcome: Outcome<T> | undefined): outcome is { readonly error: string } {
  return outcome !== undefined && typeof outcome === "object" && outcome !== null && "error" in outcome;
}

export function configurationsOf(stores: readonly StoreKind[], workers: readonly number[]): Configuration[] {
  const configurations: Configuration[] = [];
  for (const store of stores) {
    if (store === "sqlite") configurations.push({ store, workers: 1, label: "SQLite, 1 worker (embedded)" });
    else
      for (const count of workers)
        configurations.push({
          store,
          workers: count,
          label: `PostgreSQL, ${count} worker process${count === 1 ? " (this one)" : `es (this one and ${count - 1} more)`}`,
        });
  }
  return configurations;
}

export async function attempt<T>(
  what: string,
  log: (line: string) => void,
  run: () => Promise<T>,
): Promise<Outcome<T>> {
  try {
    return await run();
  } catch (error) {
    const message = String((error as Error)?.stack ?? error)
      .split("\n")
      .slice(0, 4)
      .join(" | ");
    log(`  ${what} FAILED: ${message}`);
    return { error: message };
  }
}

export async function runRound(
  configuration: Configuration,
  round: number,
  workloads: readonly Workload[],
  options: { concurrency: number; awaitMode: AwaitMode; log: (line: string) => void },
): Promise<RoundResult> {
  const { log } = options;
  const fresh = await freshStore(configuration.store, "charter_bench");
  await pgCheckpoint(fresh.spec);
  const engine: Engine = createEngine({
    store: await openStore(fresh.spec),
    handlers: benchHandlers,
    concurrency: options.concurrency,
  });
  const stopEmbedded = new AbortController();
  let embedded: Promise<void> | undefined;
  let pool: { stop(): Promise<void> } | undefined;
  const result: RoundResult = { round };
  try {
    for (const { charter, source } of benchCharters()) await engine.deploy(charter, source);
    embedded = engine.runWorker({ signal: stopEmbedded.signal });
    if (configuration.workers > 1)
      pool = await startWorkers(fresh.spec, configuration.workers - 1, { concurrency: options.concurrency });

    if (workloads.includes("W1")) {
      result.W1 = await attempt("W1", log, () => w1(engine, options.awaitMode));
      if (!isError(result.W1))
        log(
          `  W1 ${result.W1.wf_per_s.toFixed(0)} runs/s, ${result.W1.steps_per_s.toFixed(0)} steps/s (${result.W1.wall_ms.toFixed(0)} ms)`,
        );
    }
    if (workloads.includes("W2")) {
      result.W2 = await attempt("W2", log, () => w2(engine));
      if (!isError(result.W2))
        log(`  W2 p50 ${result.W2.p50_ms.toFixed(1)} ms, p99 ${result.W2.p99_ms.toFixed(1)} ms`);
    }
    if (workloads.includes("W3")) {
      result.W3 = await attempt("W3", log, () => w3(engine));
      if (!isError(result.W3)) log(`  W3 ${result.W3.wall_ms.toFixed(0)} ms`);
    }
    if (workloads.includes("W4")) {
      const w1Rate = result.W1 !== undefined && !isError(result.W1) ? result.W1.wf_per_s : null;
      result.W4 = await attempt("W4", log, async () => {
        const r = await w4(engine, options.awaitMode);
        return { ...r, ratio_to_w1: w1Rate === null ? null : r.healthy_wf_per_s / w1Rate };
      });
      if (!isError(result.W4))
        log(
          `  W4 healthy ${result.W4.healthy_wf_per_s.toFixed(0)} runs/s` +
            (result.W4.ratio_to_w1 === null ? "" : ` (${result.W4.ratio_to_w1.toFixed(2)} of W1)`) +
            `, failing runs ended after ${result.W4.failing_terminal_ms === null ? "-" : (result.W4.failing_terminal_ms / 1000).toFixed(1)} s`,
        );
    }
  } finally {
    stopEmbedded.abort();
    await embedded;
    await pool?.stop();
    await engine.close();
    await fresh.dispose();
  }
  return result;
}
