/**
 * The full crash test (test/crash/harness.ts):
 *
 *   npx tsx scripts/crash-test.ts --runs 500 --kills 50 [--workers 2] [--seed 1]
 *   npx tsx scripts/crash-test.ts --store postgres --runs 2000 --workers 3 --kills 30
 *   npx tsx scripts/crash-test.ts --store postgres --runs 2000 --workers 3 --kills 0 --terminate-every 2000
 *   npx tsx scripts/crash-test.ts --store postgres --runs 2000 --workers 3 --kills 0 --restart-postgres-every 5000
 *
 * Starts the runs, SIGKILLs worker processes at random moments and restarts them, and on PostgreSQL
 * optionally terminates every connection to the database (`--terminate-every MS`) or restarts the
 * server (`--restart-postgres-every MS`, with pg_ctlcluster) while they execute; waits until every
 * run has ended, checks outcomes, histories, effects, audit chains and that no worker process had to
 * be restarted but those killed, and prints a summary table. Exits 1 if anything is wrong.
 *
 * `--store postgres` creates a fresh database on the test server (CHARTER_TEST_POSTGRES, default
 * postgres://postgres@127.0.0.1:5432) and drops it afterwards; `--database URL` uses an existing
 * one instead (its `--schema`, default `crash`, is left in place).
 */
import { parseArgs } from "node:util";
import { runCrashTest } from "../test/crash/harness.js";
import type { CrashOptions } from "../test/crash/harness.js";
import type { StoreTargetSpec } from "../test/crash/targets.js";
import { createTestDatabase } from "../test/helpers/postgres-db.js";
import type { TestDatabase } from "../test/helpers/postgres-db.js";

const { values } = parseArgs({
  options: {
    store: { type: "string", default: "sqlite" },
    database: { type: "string" },
    schema: { type: "string", default: "crash" },
    runs: { type: "string", default: "500" },
    kills: { type: "string", default: "50" },
    workers: { type: "string", default: "2" },
    "terminate-every": { type: "string", default: "0" },
    "restart-postgres-every": { type: "string", default: "0" },
    "overstay-every": { type: "string", default: "0" },
    "poll-ms": { type: "string" },
    concurrency: { type: "string", default: "4" },
    "max-running": { type: "string" },
    "deadline-s": { type: "string", default: "900" },
    seed: { type: "string", default: String(Date.now() % 100_000) },
    quiet: { type: "boolean", default: false },
  },
});

const number = (name: keyof typeof values) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a whole number, not ${String(values[name])}`);
    process.exit(2);
  }
  return value;
};

if (values.store !== "sqlite" && values.store !== "postgres") {
  console.error(`--store must be sqlite or postgres, not ${values.store}`);
  process.exit(2);
}
const terminateEveryMs = number("terminate-every");
const restartEveryMs = number("restart-postgres-every");
if (values.store === "sqlite" && (terminateEveryMs > 0 || restartEveryMs > 0)) {
  console.error("--terminate-every and --restart-postgres-every need --store postgres");
  process.exit(2);
}

let database: TestDatabase | undefined;
let store: StoreTargetSpec = { kind: "sqlite" };
if (values.store === "postgres") {
  const url = values.database ?? (database = await createTestDatabase("crash")).url;
  store = { kind: "postgres", url, schema: values.schema };
}

const options: CrashOptions = {
  runs: number("runs"),
  kills: number("kills"),
  workers: Math.max(1, number("workers")),
  seed: number("seed"),
  store,
  faults: { terminateEveryMs, restartEveryMs },
  worker: {
    concurrency: Math.max(1, number("concurrency")),
    overstayEvery: number("overstay-every"),
    ...(values["poll-ms"] === undefined ? {} : { pollIntervalMs: Math.max(1, number("poll-ms")) }),
  },
  // At most 8 runs per handler slot: a longer queue would outlast the steps' 5 s timeouts.
  maxRunning:
    values["max-running"] === undefined
      ? Math.max(1, number("workers")) * Math.max(1, number("concurrency")) * 8
      : number("max-running"),
  deadlineMs: number("deadline-s") * 1000,
  ...(values.quiet ? {} : { log: (line: string) => console.error(line) }),
};
const faults = [
  terminateEveryMs > 0 ? `connections terminated every ~${terminateEveryMs} ms` : "",
  restartEveryMs > 0 ? `PostgreSQL restarted every ~${restartEveryMs} ms` : "",
].filter(Boolean);
console.error(
  `crash test on ${values.store}: ${options.runs} runs, ${options.kills} kills, ${options.workers} workers` +
    `${faults.length > 0 ? `, ${faults.join(", ")}` : ""}, seed ${options.seed}`,
);
let summary;
try {
  summary = await runCrashTest(options);
} finally {
  await database?.drop();
}

const rows: [string, string | number][] = [
  ["store", summary.store],
  ["order runs", summary.runs],
  ["child runs", summary.childRuns],
  ["workers at a time", options.workers!],
  ["SIGKILLs", summary.kills],
  ["jobs held by killed workers", summary.jobsHeldAtKill],
  ["connection faults injected", summary.connectionFaults],
  ["connections terminated", summary.connectionsTerminated],
  ["worker starts", summary.workerStarts],
  ["worker exits not caused by the test", summary.workerExits],
  ["worker errors logged", summary.workerErrors],
  ["workers listening for notices at the end", summary.listeningAtEnd ?? "-"],
  ["transitions", summary.transitions],
  ["timers fired (each once)", summary.timersFired],
  ["action steps", summary.actionSteps],
  ["handler executions", summary.executions],
  ["re-executions (retries and kills)", summary.reExecutions],
  ["effects applied (once per key)", summary.appliedEffects],
  ["retries after a handler failure", summary.retriesAfterFailure],
  ["handlers that overstayed their lease", summary.overstays],
  [
    "stale job results refused (commit/complete)",
    `${summary.staleCommitsRefused}/${summary.staleCompletionsRefused}`,
  ],
  ["jobs/timers left in the store", `${summary.jobsLeft}/${summary.timersLeft}`],
  ["seconds", summary.seconds],
  ["problems", summary.problems.length],
];
const width = Math.max(...rows.map(([label]) => label.length));
console.log(`| ${"measure".padEnd(width)} | value |`);
console.log(`| ${"-".repeat(width)} | ----- |`);
for (const [label, value] of rows) console.log(`| ${label.padEnd(width)} | ${value} |`);
for (const [message, count] of summary.workerErrorMessages.slice(0, 10))
  console.log(`worker error x${count}: ${message}`);
for (const problem of summary.problems.slice(0, 50)) console.log(`problem: ${problem}`);
process.exitCode = summary.problems.length === 0 ? 0 : 1;
