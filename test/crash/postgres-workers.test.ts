/**
 * The crash test on PostgreSQL, with three worker processes on one database (short versions; the
 * full ones: `npx tsx scripts/crash-test.ts --store postgres --runs 2000 --workers 3 --kills 30`,
 * and `--kills 0 --terminate-every 2000` or `--restart-postgres-every 5000`).
 *
 * - SIGKILL one of three workers again and again under load: the others and the replacements take
 *   over its leases; every run still ends once, every transition and effect happens once.
 * - Every connection to the database is terminated every 1 to 2 seconds (workers', LISTEN's, the
 *   harness's own): the same three worker processes reconnect by themselves and finish every run.
 * - Timers (retry backoffs) fire once across three workers, and a worker that overstays its lease
 *   cannot commit over the attempt that took the job from it.
 *
 * The file gets its own database; each test its own schema (a name that must be quoted).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/postgres-db.js";
import type { TestDatabase } from "../helpers/postgres-db.js";
import { runCrashTest } from "./harness.js";
import type { CrashOptions, CrashSummary } from "./harness.js";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase("crash");
});

afterAll(async () => {
  await database?.drop();
});

const crash = (schema: string, options: Omit<CrashOptions, "store">) =>
  runCrashTest({ ...options, store: { kind: "postgres", url: database.url, schema } });

/** What every crash test must show, whatever the faults: each run ended once, each effect once. */
function expectIntact(summary: CrashSummary, runs: number): void {
  expect(summary.problems).toEqual([]);
  expect(summary.runs).toBe(runs);
  expect(summary.childRuns).toBe(runs);
  // reserve, charge, ship per order and send per receipt: one applied effect each.
  expect(summary.actionSteps).toBe(runs * 4);
  expect(summary.appliedEffects).toBe(summary.actionSteps);
  expect(summary.executions).toBeGreaterThanOrEqual(summary.actionSteps);
  expect(summary.jobsLeft).toBe(0);
}

describe("crash test on PostgreSQL with three worker processes", () => {
  it("150 runs survive 6 SIGKILLs of one of three workers: outcomes reached, transitions once, effects once", async () => {
    const summary = await crash('Crash "kills"', {
      runs: 150,
      kills: 6,
      workers: 3,
      seed: 11,
      deadlineMs: 40_000,
    });
    expectIntact(summary, 150);
    expect(summary.kills).toBe(6);
    expect(summary.workerStarts).toBe(3 + 6);
    expect(summary.workerExits).toBe(0);
  }, 60_000);

  it("300 runs finish while every connection is terminated every 1-2 s, with no worker restarted", async () => {
    const summary = await crash("crash-terminate", {
      runs: 300,
      kills: 0,
      workers: 3,
      seed: 12,
      faults: { terminateEveryMs: 1500 },
      deadlineMs: 40_000,
    });
    expectIntact(summary, 300);
    expect(summary.connectionFaults).toBeGreaterThanOrEqual(2);
    // Workers, their LISTEN connections and the harness's own were all cut.
    expect(summary.connectionsTerminated).toBeGreaterThanOrEqual(summary.connectionFaults * 3);
    // The same three processes from start to end.
    expect(summary.kills).toBe(0);
    expect(summary.workerStarts).toBe(3);
    expect(summary.workerExits).toBe(0);
    // ... and listen for notices again: their LISTEN connections reconnected too.
    expect(summary.listeningAtEnd).toBe(3);
  }, 60_000);

  it("timers fire once across three workers, and a worker whose lease expired cannot commit over the new attempt", async () => {
    const summary = await crash("crash-timers", {
      runs: 150,
      kills: 0,
      workers: 3,
      seed: 13,
      // One order in 10 overstays its lease on `reserve`: another lease runs it and commits first.
      worker: { overstayEvery: 10 },
      deadlineMs: 40_000,
    });
    expectIntact(summary, 150);
    // Every third order's `ship` fails once and is retried after a backoff timer.
    expect(summary.retriesAfterFailure).toBeGreaterThanOrEqual(50);
    expect(summary.timersFired).toBeGreaterThanOrEqual(50);
    // (historyProblems, in `problems`, checks that no timer fired twice and no job result applied twice.)
    expect(summary.overstays).toBe(15);
    expect(summary.staleCommitsRefused + summary.staleCompletionsRefused).toBeGreaterThan(0);
    expect(summary.workerStarts).toBe(3);
  }, 60_000);
});
