/**
 * The engine benchmarks: W1-W4 per configuration (SQLite embedded; PostgreSQL with 1 and 4 worker
 * processes, the benchmark's own process being one of them, as the peers' single process is), `rounds` times on fresh stores, then W5 once per store. Prints the tables and writes
 * every figure to <outDir>/engine-<timestamp>.json. Run through bench/main.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import type { BenchOptions } from "./options.js";
import { configurationTable, mediansOf, summaryTable, w5Table } from "./report.js";
import type { Configuration, RoundResult } from "./runner.js";
import { configurationsOf, runRound } from "./runner.js";
import type { StoreKind } from "./stores.js";
import { loadPostgresStore, pgReachable } from "./stores.js";
import type { W5Result } from "./w5.js";
import { w5 } from "./w5.js";
import { POLL_MS } from "./await.js";
import { W5_CHUNK } from "./w5.js";

const log = (line: string) => console.log(line);

export async function runEngineBench(options: BenchOptions): Promise<{ file: string; failed: boolean }> {
  const started = new Date();
  let stores = [...options.stores];
  let postgres: Record<string, unknown> | undefined;
  if (stores.includes("postgres")) {
    const module = await loadPostgresStore();
    const server = module.ok ? await pgReachable() : undefined;
    if (!module.ok || !server?.ok) {
      log(
        `postgres: not available (${!module.ok ? module.reason : server && !server.ok ? server.reason : ""})`,
      );
      stores = stores.filter((s) => s !== "postgres");
    } else postgres = server.settings;
  }

  const engineWorkloads = options.workloads.filter((w) => w !== "W5");
  const configurations = engineWorkloads.length > 0 ? configurationsOf(stores, options.workers) : [];
  log(
    `\nengine benchmark (Node ${process.version}, ${cpus().length} cores): ${engineWorkloads.join(", ") || "no W1-W4"}` +
      `${options.workloads.includes("W5") ? `, W5 (${options.w5Runs.toLocaleString("en")} runs)` : ""}; ` +
      `${options.rounds} round(s); concurrency ${options.concurrency} per worker; W1/W4 await: ${options.awaitMode}`,
  );

  const results: { configuration: Configuration; rounds: RoundResult[] }[] = [];
  for (const configuration of configurations) {
    const rounds: RoundResult[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      log(`\n${configuration.label}, round ${round}/${options.rounds}`);
      try {
        rounds.push(
          await runRound(configuration, round, engineWorkloads, {
            concurrency: options.concurrency,
            awaitMode: options.awaitMode,
            log,
          }),
        );
      } catch (error) {
        const message = String((error as Error)?.stack ?? error)
          .split("\n")
          .slice(0, 4)
          .join(" | ");
        log(`  round FAILED: ${message}`);
        rounds.push({ round, error: message });
      }
    }
    results.push({ configuration, rounds });
  }

  const w5Results: { store: StoreKind; result: W5Result }[] = [];
  const w5Errors: { store: StoreKind; error: string }[] = [];
  if (options.workloads.includes("W5"))
    for (const store of stores) {
      log(`\nW5 on ${store}`);
      try {
        const result = await w5(store, {
          n: options.w5Runs,
          concurrency: options.concurrency,
          probeSeconds: options.probeSeconds,
          log,
        });
        w5Results.push({ store, result });
      } catch (error) {
        const message = String((error as Error)?.stack ?? error)
          .split("\n")
          .slice(0, 4)
          .join(" | ");
        log(`  W5 FAILED: ${message}`);
        w5Errors.push({ store, error: message });
      }
    }

  log("\n## Engine benchmark results\n");
  for (const { configuration, rounds } of results) log(`${configurationTable(configuration, rounds)}\n`);
  if (results.length > 0) log(`Medians of ${options.rounds} round(s):\n\n${summaryTable(results)}\n`);
  if (w5Results.length > 0) log(`W5, runs parked at an approval:\n\n${w5Table(w5Results)}\n`);

  mkdirSync(options.outDir, { recursive: true });
  const file = path.join(options.outDir, `engine-${started.toISOString().replace(/[:.]/g, "-")}.json`);
  const record = {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    node: process.version,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryBytes: totalmem(),
      platform: process.platform,
    },
    options,
    settings: {
      sqlite: { synchronous: "FULL", journal_mode: "WAL", worker: "in the benchmark's process" },
      postgres,
      concurrencyPerWorker: options.concurrency,
      awaitRun: "engine.waitForRun",
      awaitMany:
        options.awaitMode === "each"
          ? "engine.waitForRun per run, after its start"
          : `engine.listRuns({ workflow, status: "running", limit: 1 }) polled every ${POLL_MS} ms`,
      w5StartChunk: W5_CHUNK,
    },
    configurations: results.map(({ configuration, rounds }) => ({
      ...configuration,
      rounds,
      medians: mediansOf(rounds),
    })),
    w5: w5Results,
    w5Errors,
  };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  log(`results: ${file}`);
  const failed =
    w5Errors.length > 0 ||
    results.some(({ rounds }) =>
      rounds.some((r) => r.error !== undefined || [r.W1, r.W2, r.W3, r.W4].some((o) => o && "error" in o)),
    );
  return { file, failed };
}
