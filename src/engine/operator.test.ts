import { describe, expect, it } from "vitest";
import { charterFrom, DAY, RunDriver } from "../../test/helpers/engine.js";

const CHARTER = charterFrom(`
start: post
steps:
  post:
    kind: action
    owner: team:ops
    handler: erp.post
    timeout: 30s
    on_error: { default: exception }
    next: approve
  approve:
    kind: approval
    owner: role:manager
    assignee: role:manager
    due: 1d
    expire: { after: 2d, goto: exception }
    outcomes: { approved: done, rejected: done }
  wait:
    kind: wait
    owner: team:ops
    event: thing.happened
    correlation: input.id
    timeout: 1d
    on_timeout: done
    next: done
  done: { kind: end, outcome: done }
`);

async function inException(): Promise<RunDriver> {
  const run = await RunDriver.start(CHARTER);
  await run.fail("post", "ERP_DOWN", false);
  return run;
}

describe("the exception queue", () => {
  it("retrying an exception runs the same instance again as a new attempt, with the same idempotency key", async () => {
    const run = await inException();
    const first = run.all("run-handler")[0]!;
    await run.send({
      type: "exception.retried",
      instance: "root/post#1",
      by: "user:olga",
      reason: "ERP is back",
    });
    expect(run.lastOf("resolve-exception")).toEqual([{ type: "resolve-exception", instance: "root/post#1" }]);
    const [again] = run.lastOf("run-handler");
    expect(again).toMatchObject({
      instance: "root/post#1",
      attempt: 2,
      idempotencyKey: first.idempotencyKey,
    });
    expect(again!.jobId).not.toBe(first.jobId);
    expect(run.audits("exception.retried")[0]).toMatchObject({
      actor: "user:olga",
      reason: "ERP is back",
      step: "post",
    });
    await run.succeed("post");
    expect(run.instance("approve").status).toBe("waiting");
  });

  it("skipping an exception goes on at the step given", async () => {
    const run = await inException();
    await run.send({
      type: "exception.skipped",
      instance: "root/post#1",
      to: "done",
      by: "user:olga",
      reason: "posted by hand",
    });
    expect(run.instance("post").status).toBe("failed");
    expect(run.audits("exception.skipped")[0]).toMatchObject({ actor: "user:olga", details: { to: "done" } });
    expect(run.state.outcome).toBe("done");
  });

  it("operator actions without a reason, on an instance not in the queue, or to an unknown step are refused", async () => {
    const run = await inException();
    const noReason = await run.send({
      type: "exception.retried",
      instance: "root/post#1",
      by: "user:olga",
      reason: " ",
    });
    expect(noReason.refusal?.code).toBe("CONFLICT");
    const unknown = await run.send({
      type: "exception.retried",
      instance: "root/nope#1",
      by: "user:olga",
      reason: "x",
    });
    expect(unknown.refusal?.code).toBe("NOT_FOUND");
    const badTarget = await run.send({
      type: "exception.skipped",
      instance: "root/post#1",
      to: "nowhere",
      by: "user:olga",
      reason: "x",
    });
    expect(badTarget.refusal?.code).toBe("NOT_FOUND");
    await run.send({ type: "exception.retried", instance: "root/post#1", by: "user:olga", reason: "again" });
    const notInQueue = await run.send({
      type: "exception.skipped",
      instance: "root/post#1",
      to: "done",
      by: "user:olga",
      reason: "x",
    });
    expect(notInQueue.refusal?.code).toBe("CONFLICT");
  });

  it("retrying an expired approval opens a new task for the same instance", async () => {
    const run = await RunDriver.start(CHARTER);
    await run.succeed("post");
    const firstTask = run.task("approve").taskId;
    await run.advance(2 * DAY);
    expect(run.instance("approve").status).toBe("exception");
    await run.send({
      type: "exception.retried",
      instance: "root/approve#1",
      by: "user:olga",
      reason: "manager is back",
    });
    const [task] = run.lastOf("open-task");
    expect(task!.taskId).not.toBe(firstTask);
    expect(run.instance("approve")).toMatchObject({ status: "waiting", attempt: 2, key: "root/approve#1" });
  });
});

describe("cancelling a run", () => {
  it("cancelling a run closes its tasks, timers and subscriptions, and is audited", async () => {
    const run = await RunDriver.start(CHARTER);
    await run.succeed("post");
    const { taskId } = run.task("approve");
    await run.send({ type: "run.cancelled", by: "user:olga", reason: "duplicate invoice" });
    expect(run.state).toMatchObject({ status: "cancelled", success: false, active: [], timers: {} });
    expect(run.lastOf("close-task")).toEqual([{ type: "close-task", taskId, status: "cancelled" }]);
    expect(run.lastOf("cancel-timer")).toHaveLength(2);
    expect(run.instance("approve").status).toBe("cancelled");
    expect(run.audits("run.cancelled")[0]).toMatchObject({ actor: "user:olga", reason: "duplicate invoice" });
  });

  it("cancelling resolves exceptions and unsubscribes waits, and a child run tells its parent", async () => {
    const waiting = await RunDriver.start(
      { ...CHARTER, start: "wait" },
      { input: { id: "k" }, parent: { runId: "p", instance: "root/w#1" } },
    );
    await waiting.send({ type: "run.cancelled", by: "user:olga", reason: "no longer needed" });
    expect(waiting.lastOf("unsubscribe-event")).toHaveLength(1);
    expect(waiting.lastOf("notify-parent")).toEqual([
      { type: "notify-parent", parentRunId: "p", instance: "root/w#1", outcome: "cancelled", success: false },
    ]);
    const failed = await inException();
    await failed.send({ type: "run.cancelled", by: "user:olga", reason: "gave up" });
    expect(failed.lastOf("resolve-exception")).toEqual([
      { type: "resolve-exception", instance: "root/post#1" },
    ]);
  });

  it("cancelling needs a reason", async () => {
    const run = await RunDriver.start(CHARTER);
    const result = await run.send({ type: "run.cancelled", by: "user:olga", reason: "" });
    expect(result.refusal?.code).toBe("CONFLICT");
    expect(result.state.status).toBe("running");
  });
});
