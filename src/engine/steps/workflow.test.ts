import { describe, expect, it } from "vitest";
import { charterFrom, DAY, RunDriver } from "../../../test/helpers/engine.js";

const PARENT = charterFrom(`
start: provision
steps:
  provision:
    kind: workflow
    owner: team:hr
    workflow: it-provisioning
    input: "{ 'employeeId': input.employeeId }"
    timeout: 21d
    outcomes: { partially-provisioned: gaps, blocked: blocked, default: other }
    next: welcome
    on_error: { TIMEOUT: blocked, WORKFLOW_NOT_FOUND: missing, default: exception }
  gaps: { kind: end, outcome: gaps }
  blocked: { kind: end, outcome: blocked }
  other: { kind: end, outcome: other }
  missing: { kind: end, outcome: missing }
  welcome: { kind: end, outcome: welcome }
`);

async function started(): Promise<RunDriver> {
  return RunDriver.start(PARENT, { input: { employeeId: "e1" }, initiator: "user:hana" });
}

async function childEnds(run: RunDriver, outcome: string, success: boolean) {
  const { childRunId, instance } = run.all("start-child-run")[0]!;
  return run.send({ type: "child.ended", instance, childRunId, outcome, success });
}

describe("workflow steps", () => {
  it("a workflow step starts a child run with a deterministic id, the evaluated input and the initiator", async () => {
    const run = await started();
    const [start] = run.lastOf("start-child-run");
    expect(start).toMatchObject({
      instance: "root/provision#1",
      workflow: "it-provisioning",
      input: { employeeId: "e1" },
      initiator: "user:hana",
    });
    const again = await started();
    expect(again.lastOf("start-child-run")[0]!.childRunId).toBe(start!.childRunId);
    expect(run.instance("provision")).toMatchObject({ status: "running", childRunId: start!.childRunId });
  });

  it("a listed child outcome takes its route first", async () => {
    const run = await started();
    await childEnds(run, "partially-provisioned", true);
    expect(run.instance("provision").output).toMatchObject({
      outcome: "partially-provisioned",
      success: true,
    });
    expect(run.state.outcome).toBe("gaps");
  });

  it("any other success goes to next", async () => {
    const run = await started();
    await childEnds(run, "provisioned", true);
    expect(run.state.outcome).toBe("welcome");
  });

  it("an unsuccessful outcome not listed goes to outcomes.default", async () => {
    const run = await started();
    await childEnds(run, "cancelled", false);
    expect(run.state.outcome).toBe("other");
  });

  it("with no route for the outcome the step fails with CHILD_FAILED, routed by on_error", async () => {
    const charter = charterFrom(`
start: child
steps:
  child:
    kind: workflow
    owner: team:ops
    workflow: sub
    next: done
    on_error: { CHILD_FAILED: failed, default: exception }
  failed: { kind: end, outcome: failed }
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter);
    await childEnds(run, "rejected", false);
    expect(run.instance("child")).toMatchObject({
      status: "failed",
      error: { code: "CHILD_FAILED", details: { outcome: "rejected" } },
    });
    expect(run.state.outcome).toBe("failed");
  });

  it("a child past the timeout is cancelled and the step fails with TIMEOUT", async () => {
    const run = await started();
    const { childRunId } = run.all("start-child-run")[0]!;
    await run.advance(21 * DAY);
    expect(run.all("cancel-child-run")).toEqual([
      { type: "cancel-child-run", childRunId, reason: expect.any(String) },
    ]);
    expect(run.instance("provision").error?.code).toBe("TIMEOUT");
    expect(run.state.outcome).toBe("blocked");
  });

  it("a child workflow that is not deployed fails the step with WORKFLOW_NOT_FOUND", async () => {
    const run = await started();
    const { childRunId, instance } = run.all("start-child-run")[0]!;
    await run.send({
      type: "child.failed",
      instance,
      childRunId,
      error: { code: "WORKFLOW_NOT_FOUND", message: "not deployed", retryable: false },
    });
    expect(run.state.outcome).toBe("missing");
  });

  it("the end of another child run changes nothing", async () => {
    const run = await started();
    const { instance } = run.all("start-child-run")[0]!;
    const result = await run.send({
      type: "child.ended",
      instance,
      childRunId: "run_other",
      outcome: "provisioned",
      success: true,
    });
    expect(result.commands).toEqual([]);
  });
});
