/**
 * The full crash test: `npx tsx scripts/crash-test.ts --runs 500 --kills 50 [--workers 2] [--seed 1]`.
 * Starts the runs, SIGKILLs worker processes at random moments and restarts them, waits until every
 * run has ended, checks outcomes, histories, effects and audit chains (test/crash/harness.ts), and
 * prints a summary table. Exits 1 if anything is wrong.
 */
import { parseArgs } from "node:util";
import { runCrashTest } from "../test/crash/harness.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "500" },
    kills: { type: "string", default: "50" },
    workers: { type: "string", default: "2" },
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

const options = {
  runs: number("runs"),
  kills: number("kills"),
  workers: Math.max(1, number("workers")),
  seed: number("seed"),
  deadlineMs: 15 * 60_000,
  ...(values.quiet ? {} : { log: (line: string) => console.error(line) }),
};
console.error(
  `crash test: ${options.runs} runs, ${options.kills} kills, ${options.workers} workers, seed ${options.seed}`,
);
const summary = await runCrashTest(options);

const rows: [string, string | number][] = [
  ["order runs", summary.runs],
  ["child runs", summary.childRuns],
  ["workers at a time", options.workers],
  ["SIGKILLs", summary.kills],
  ["jobs held by killed workers", summary.jobsHeldAtKill],
  ["worker starts", summary.workerStarts],
  ["transitions", summary.transitions],
  ["action steps", summary.actionSteps],
  ["handler executions", summary.executions],
  ["re-executions (retries and kills)", summary.reExecutions],
  ["effects applied (once per key)", summary.appliedEffects],
  ["retries after a handler failure", summary.retriesAfterFailure],
  ["seconds", summary.seconds],
  ["problems", summary.problems.length],
];
const width = Math.max(...rows.map(([label]) => label.length));
console.log(`| ${"measure".padEnd(width)} | value |`);
console.log(`| ${"-".repeat(width)} | ----- |`);
for (const [label, value] of rows) console.log(`| ${label.padEnd(width)} | ${value} |`);
for (const problem of summary.problems.slice(0, 50)) console.log(`problem: ${problem}`);
process.exitCode = summary.problems.length === 0 ? 0 : 1;
