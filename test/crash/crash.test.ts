/**
 * The short crash test (the full one: `npx tsx scripts/crash-test.ts --runs 500 --kills 50`).
 * Worker processes are SIGKILLed at random moments of real time and restarted; afterwards every
 * run has reached its outcome, no transition was applied twice, and every side effect guarded by an
 * idempotency key was applied exactly once.
 */
import { describe, expect, it } from "vitest";
import { runCrashTest } from "./harness.js";

describe("crash test", () => {
  it("60 runs survive 5 SIGKILLs of their worker: outcomes reached, transitions once, effects once per key", async () => {
    const summary = await runCrashTest({ runs: 60, kills: 5, seed: 7, deadlineMs: 40_000 });
    expect(summary.problems).toEqual([]);
    expect(summary.runs).toBe(60);
    expect(summary.childRuns).toBe(60);
    expect(summary.kills).toBe(5);
    // reserve, charge, ship per order and send per receipt: one applied effect each.
    expect(summary.actionSteps).toBe(60 * 4);
    expect(summary.appliedEffects).toBe(summary.actionSteps);
    expect(summary.executions).toBeGreaterThanOrEqual(summary.actionSteps);
  }, 60_000);
});
