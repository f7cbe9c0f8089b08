import { describe, expect, it } from "vitest";
import { charterFrom, DAY, RunDriver } from "../../../test/helpers/engine.js";

const ENDS = charterFrom(
  `
charter: 1
workflow: ends
title: Ends
owner: team:ops
triggers: [{ manual: {} }]
input: { schema: { type: object }, on_invalid: reject }
success: { outcomes: [paid, rejected], within: 5d }
start: work
steps:
  work: { kind: action, owner: team:ops, handler: h, timeout: 1m, on_error: { default: exception, FRAUD: fraud }, next: route }
  route:
    kind: decision
    owner: team:ops
    rules: [{ when: "steps.work.output.ok", goto: paid }, { when: "steps.work.output.cancelled", goto: withdrawn }]
    default: rejected
  paid: { kind: end, outcome: paid }
  rejected: { kind: end, outcome: rejected, success: false }
  withdrawn: { kind: end, outcome: withdrawn, success: true }
  fraud: { kind: end, outcome: fraud }
`,
  { header: false },
);

describe("end steps", () => {
  it("an end whose outcome is a success outcome completes the run as a success within its SLA", async () => {
    const run = await RunDriver.start(ENDS);
    await run.succeed("work", { ok: true });
    expect(run.state).toMatchObject({
      status: "completed",
      outcome: "paid",
      success: true,
      slaBreached: false,
      endedAt: run.now.toISOString(),
    });
    expect(run.lastOf("complete-run")).toEqual([
      { type: "complete-run", outcome: "paid", success: true, slaBreached: false },
    ]);
    expect(run.audits("run.completed")[0]).toMatchObject({
      actor: "system",
      details: { outcome: "paid", success: true },
    });
    expect(run.state.active).toEqual([]);
  });

  it("an end's own success flag overrides the success outcomes", async () => {
    const rejected = await RunDriver.start(ENDS);
    await rejected.succeed("work", {});
    expect(rejected.state).toMatchObject({ outcome: "rejected", success: false });
    const withdrawn = await RunDriver.start(ENDS);
    await withdrawn.succeed("work", { cancelled: true });
    expect(withdrawn.state).toMatchObject({ outcome: "withdrawn", success: true });
  });

  it("an outcome that is not a success outcome is not a success", async () => {
    const run = await RunDriver.start(ENDS);
    await run.fail("work", "FRAUD", false);
    expect(run.state).toMatchObject({ outcome: "fraud", success: false });
  });

  it("a run that took longer than success.within is recorded as an SLA breach", async () => {
    const run = await RunDriver.start(ENDS);
    run.now = new Date(run.now.getTime() + 5 * DAY + 1);
    await run.succeed("work", { ok: true });
    expect(run.state).toMatchObject({ success: true, slaBreached: true });
  });

  it("a child run tells its parent how it ended", async () => {
    const run = await RunDriver.start(ENDS, { parent: { runId: "parent-1", instance: "root/provision#1" } });
    await run.succeed("work", { ok: true });
    expect(run.lastOf("notify-parent")).toEqual([
      {
        type: "notify-parent",
        parentRunId: "parent-1",
        instance: "root/provision#1",
        outcome: "paid",
        success: true,
      },
    ]);
  });

  it("events for a completed run are ignored, and requests are refused", async () => {
    const run = await RunDriver.start(ENDS);
    await run.succeed("work", { ok: true });
    const timer = await run.send({ type: "timer.fired", timerId: "tmr_x" });
    expect(timer).toEqual({ state: run.state, commands: [] });
    const cancel = await run.send({ type: "run.cancelled", by: "user:op", reason: "too late" });
    expect(cancel.refusal?.code).toBe("CONFLICT");
  });
});
