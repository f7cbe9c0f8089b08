import { describe, expect, it } from "vitest";
import { dataHash } from "../audit.js";
import { charterFrom, DAY, HOUR, RunDriver, T0 } from "../../../test/helpers/engine.js";

const APPROVAL = charterFrom(`
start: review
steps:
  review:
    kind: task
    owner: role:clerk
    assignee: role:clerk
    due: 1d
    expire: { after: 2d, goto: exception }
    next: approve
  approve:
    kind: approval
    owner: role:manager
    assignee: role:manager
    not_by: [initiator, review, role:clerk, user:mallory]
    require_reason: true
    shows: [input, steps.review.output]
    instructions: Approve if the amount is right.
    due: 1d
    escalate: { after: 1d, to: role:director }
    expire: { after: 3d, goto: stalled }
    outcomes: { approved: paid, rejected: rejected, query: review }
  stalled: { kind: end, outcome: stalled }
  paid: { kind: end, outcome: paid }
  rejected: { kind: end, outcome: rejected }
`);

const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();

async function atApproval(): Promise<RunDriver> {
  const run = await RunDriver.start(APPROVAL, { initiator: "user:ivy", input: { amount: 10 } });
  await run.decide("review", "user:carl", "submitted", { roles: ["clerk"], data: { checked: true } });
  return run;
}

describe("approval steps", () => {
  it("an approval opens a task with its assignees, exclusions, what it shows and its due date", async () => {
    const run = await atApproval();
    const task = run.task("approve");
    expect(task).toMatchObject({
      kind: "approval",
      title: "approve",
      assignees: ["role:manager"],
      excluded: ["user:ivy", "user:carl", "role:clerk", "user:mallory"],
      outcomes: ["approved", "rejected", "query"],
      requireReason: true,
      dueAt: at(DAY),
      shows: { input: { amount: 10 }, "steps.review.output": { checked: true } },
      instructions: "Approve if the amount is right.",
    });
    expect(run.instance("approve")).toMatchObject({ status: "waiting", taskId: task.taskId });
    const fireAts = run.lastOf("start-timer").map((t) => t.fireAt);
    expect(fireAts).toEqual([at(DAY), at(DAY), at(3 * DAY)]);
  });

  it("an assignee's decision is recorded with its reason and routes by outcome", async () => {
    const run = await atApproval();
    const { taskId } = run.task("approve");
    await run.decide("approve", "user:fiona", "approved", { roles: ["manager"], reason: "PO matches" });
    expect(run.instance("approve")).toMatchObject({
      status: "succeeded",
      decision: { outcome: "approved", by: "user:fiona", reason: "PO matches", at: T0.toISOString() },
    });
    expect(run.lastOf("close-task")).toEqual([{ type: "close-task", taskId, status: "decided" }]);
    expect(run.lastOf("cancel-timer")).toHaveLength(3);
    const [entry] = run.audits("approval.decided");
    expect(entry).toMatchObject({
      actor: "user:fiona",
      reason: "PO matches",
      dataHash: dataHash({ input: { amount: 10 }, "steps.review.output": { checked: true } }),
      details: { outcome: "approved" },
    });
    expect(run.state.outcome).toBe("paid");
  });

  it("the initiator is refused, the refusal is audited, and nothing else changes", async () => {
    const run = await atApproval();
    const before = run.state;
    const result = await run.decide("approve", "user:ivy", "approved", { roles: ["manager"], reason: "ok" });
    expect(result.refusal?.code).toBe("FORBIDDEN");
    expect(result.state).toBe(before);
    expect(result.commands).toEqual([
      {
        type: "append-audit",
        entry: expect.objectContaining({
          actor: "user:ivy",
          action: "decision.refused",
          step: "approve",
          reason: "ok",
        }),
      },
    ]);
  });

  it("whoever decided a step named in not_by is refused", async () => {
    const run = await atApproval();
    const result = await run.decide("approve", "user:carl", "approved", { roles: ["manager"], reason: "ok" });
    expect(result.refusal?.code).toBe("FORBIDDEN");
  });

  it("an actor holding an excluded role is refused even when another role makes them an assignee", async () => {
    const run = await atApproval();
    const result = await run.decide("approve", "user:dana", "approved", {
      roles: ["manager", "role:clerk"],
      reason: "ok",
    });
    expect(result.refusal?.code).toBe("FORBIDDEN");
  });

  it("someone who is not an assignee is refused and audited", async () => {
    const run = await atApproval();
    const result = await run.decide("approve", "user:zoe", "approved", { roles: ["sales"], reason: "ok" });
    expect(result.refusal).toMatchObject({ code: "FORBIDDEN" });
    expect(result.commands).toHaveLength(1);
    expect(result.commands[0]).toMatchObject({
      type: "append-audit",
      entry: { action: "decision.refused", actor: "user:zoe" },
    });
  });

  it("an outcome the approval does not have is a conflict", async () => {
    const run = await atApproval();
    const result = await run.decide("approve", "user:fiona", "maybe", { roles: ["manager"], reason: "hmm" });
    expect(result.refusal?.code).toBe("CONFLICT");
    expect(result.commands).toEqual([]);
  });

  it("a decision without the required reason is a conflict", async () => {
    const run = await atApproval();
    const result = await run.decide("approve", "user:fiona", "approved", {
      roles: ["manager"],
      reason: "  ",
    });
    expect(result.refusal?.code).toBe("CONFLICT");
  });

  it("a decision on a task that is closed is a conflict, and on an unknown task not found", async () => {
    const run = await atApproval();
    const { taskId } = run.task("approve");
    await run.decide("approve", "user:fiona", "rejected", { roles: ["manager"], reason: "no" });
    const again = await run.send({
      type: "task.decided",
      taskId,
      by: "user:fiona",
      roles: ["manager"],
      outcome: "approved",
      reason: "x",
    });
    expect(again.refusal?.code).toBe("CONFLICT");
    const other = await RunDriver.start(APPROVAL);
    const unknown = await other.send({
      type: "task.decided",
      taskId: "task_nope",
      by: "user:x",
      roles: [],
      outcome: "submitted",
    });
    expect(unknown.refusal?.code).toBe("NOT_FOUND");
  });

  it("an outcome that routes back to an earlier step opens it again as a new instance", async () => {
    const run = await atApproval();
    await run.decide("approve", "user:fiona", "query", { roles: ["manager"], reason: "which PO?" });
    expect(run.instances("review").map((i) => i.key)).toEqual(["root/review#1", "root/review#2"]);
    expect(run.instance("review").status).toBe("waiting");
  });

  it("past due, the task is audited as overdue; at escalate, the escalation role is added", async () => {
    const run = await atApproval();
    const { taskId } = run.task("approve");
    await run.advance(DAY);
    expect(run.audits("task.overdue")).toHaveLength(1);
    expect(run.all("update-task")).toEqual([
      { type: "update-task", taskId, assignees: ["role:manager", "role:director"] },
    ]);
    expect(run.audits("task.escalated")[0]!.details).toMatchObject({ added: ["role:director"] });
    const result = await run.decide("approve", "user:dirk", "approved", {
      roles: ["director"],
      reason: "covering",
    });
    expect(result.refusal).toBeUndefined();
    expect(run.state.outcome).toBe("paid");
  });

  it("an approval past expire goes to its expire step, with status expired", async () => {
    const run = await atApproval();
    const { taskId } = run.task("approve");
    await run.advance(3 * DAY);
    expect(run.instance("approve").status).toBe("expired");
    expect(run.all("close-task")).toContainEqual({ type: "close-task", taskId, status: "expired" });
    expect(run.audits("task.expired")).toHaveLength(1);
    expect(run.state.outcome).toBe("stalled");
  });

  it("a task that expires to `exception` waits in the exception queue with EXPIRED", async () => {
    const run = await RunDriver.start(APPROVAL);
    await run.advance(2 * DAY + HOUR);
    expect(run.instance("review")).toMatchObject({ status: "exception", error: { code: "EXPIRED" } });
  });

  it("an assignee computed by an expression is used; one that is not an actor is an exception", async () => {
    const charter = charterFrom(`
start: approve
steps:
  approve:
    kind: approval
    owner: role:manager
    assignee: "'user:' & input.managerId"
    due: 1d
    expire: { after: 2d, goto: exception }
    outcomes: { approved: done, rejected: done }
  done: { kind: end, outcome: done }
`);
    const good = await RunDriver.start(charter, { input: { managerId: "maria" } });
    expect(good.task("approve").assignees).toEqual(["user:maria"]);
    const bad = await RunDriver.start(charter, { input: {} });
    expect(bad.instance("approve")).toMatchObject({
      status: "exception",
      error: { code: "ASSIGNEE_INVALID" },
    });
  });
});
