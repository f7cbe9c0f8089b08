/** The benchmark's command line: `npm run bench -- [flags]` (see bench/main.ts). */
import type { AwaitMode } from "./await.js";
import { AWAIT_MODES } from "./await.js";
import type { StoreKind } from "./stores.js";

export const WORKLOADS = ["W1", "W2", "W3", "W4", "W5"] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface BenchOptions {
  /** Which benchmarks: the lint bench, the engine bench, or both. */
  readonly only: "lint" | "engine" | undefined;
  readonly stores: readonly StoreKind[];
  /** Worker process counts for PostgreSQL; SQLite always has one worker, in the benchmark's process. */
  readonly workers: readonly number[];
  readonly workloads: readonly Workload[];
  readonly rounds: number;
  /** Jobs each worker runs at once (EngineConfig.concurrency). */
  readonly concurrency: number;
  /** How W1 and W4 wait for their runs (see bench/engine/await.ts). */
  readonly awaitMode: AwaitMode;
  /** Runs W5 parks. */
  readonly w5Runs: number;
  /** How long each W5 memory probe works before it measures. */
  readonly probeSeconds: number;
  readonly outDir: string;
  /** Passed on to the lint bench. */
  readonly lintArgs: readonly string[];
}

export const USAGE = `usage: npm run bench -- [--only lint|engine] [--store sqlite|postgres|all]
  [--workers 1,4] [--workloads W1,W2,W3,W4,W5] [--rounds N] [--concurrency N] [--w5-runs N]
  [--probe-seconds N] [--await each|drain] [--out DIR] [--rules]
  RUNS=N sets the lint bench's runs per phase.`;

export const DEFAULT_CONCURRENCY = 128;

function list(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function positive(flag: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${flag} must be a whole number of at least ${min}, not "${value}"`);
  return n;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  let only: BenchOptions["only"];
  let stores: StoreKind[] = ["sqlite", "postgres"];
  let workers = [1, 4];
  let workloads: Workload[] = [...WORKLOADS];
  let rounds = 3;
  let concurrency = DEFAULT_CONCURRENCY;
  let awaitMode: AwaitMode = "each";
  let w5Runs = 100_000;
  let probeSeconds = 3;
  let outDir = "/tmp/charter-bench";
  const lintArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--only": {
        const v = value();
        if (v !== "lint" && v !== "engine") throw new Error(`--only is lint or engine, not "${v}"`);
        only = v;
        break;
      }
      case "--store": {
        const v = value();
        if (v === "all") stores = ["sqlite", "postgres"];
        else if (v === "sqlite" || v === "postgres") stores = [v];
        else throw new Error(`--store is sqlite, postgres or all, not "${v}"`);
        break;
      }
      case "--workers":
        workers = [...new Set(list(value()).map((v) => positive("--workers", v)))];
        break;
      case "--workloads": {
        const names = list(value()).map((v) => v.toUpperCase());
        for (const name of names)
          if (!(WORKLOADS as readonly string[]).includes(name))
            throw new Error(`unknown workload "${name}" (${WORKLOADS.join(", ")})`);
        workloads = WORKLOADS.filter((w) => names.includes(w));
        break;
      }
      case "--rounds":
        rounds = positive("--rounds", value());
        break;
      case "--concurrency":
        concurrency = positive("--concurrency", value());
        break;
      case "--await": {
        const v = value();
        if (!(AWAIT_MODES as readonly string[]).includes(v))
          throw new Error(`--await is each or drain, not "${v}"`);
        awaitMode = v as AwaitMode;
        break;
      }
      case "--w5-runs":
        w5Runs = positive("--w5-runs", value(), 1000);
        break;
      case "--probe-seconds":
        probeSeconds = positive("--probe-seconds", value());
        break;
      case "--out":
        outDir = value();
        break;
      case "--rules":
        lintArgs.push(arg);
        break;
      case "--help":
      case "-h":
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown flag "${arg}"\n${USAGE}`);
    }
  }
  return {
    only,
    stores,
    workers,
    workloads,
    rounds,
    concurrency,
    awaitMode,
    w5Runs,
    probeSeconds,
    outDir,
    lintArgs,
  };
}
