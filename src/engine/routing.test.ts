import { describe, expect, it } from "vitest";
import { charterFrom, DAY, RunDriver } from "../../test/helpers/engine.js";

describe("routing", () => {
  it("a step with no next outside a branch goes to the exception queue with NO_ROUTE", async () => {
    const charter = charterFrom(`
start: a
steps:
  a: { kind: action, owner: team:ops, handler: h, timeout: 1m, on_error: { default: exception } }
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter);
    await run.succeed("a");
    expect(run.instance("a")).toMatchObject({ status: "exception", error: { code: "NO_ROUTE" } });
  });

  it("a loop of decisions that never waits stops at the step limit, in the exception queue", async () => {
    const charter = charterFrom(`
start: ping
steps:
  ping: { kind: decision, owner: team:ops, rules: [{ when: "true", goto: pong }], default: done }
  pong: { kind: decision, owner: team:ops, rules: [{ when: "true", goto: ping }], default: done }
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter, { engine: { maxStepsPerTransition: 50 } });
    expect(run.state.active).toHaveLength(1);
    const stuck = run.state.steps[run.state.active[0]!]!;
    expect(stuck).toMatchObject({ status: "exception", error: { code: "STEP_LIMIT" }, visit: 26 });
  });

  it("an outcome to a later step of the same branch skips ahead in the branch", async () => {
    const charter = charterFrom(`
start: certify-all
steps:
  certify-all:
    kind: parallel
    owner: team:iam
    for_each: "input.accounts"
    as: account
    concurrency: 10
    branch: [certify, revoke, record]
    next: done
  certify:
    kind: approval
    owner: team:iam
    assignee: "'user:' & account.manager"
    shows: [account]
    due: 7d
    expire: { after: 14d, goto: revoke }
    outcomes: { approved: record, rejected: continue }
  revoke: { kind: action, owner: team:iam, handler: iam.revoke, input: "account", timeout: 1m, on_error: { default: exception } }
  record:
    kind: action
    owner: team:iam
    handler: grc.record
    input: "{ 'item': index, 'decision': steps.certify.decision.outcome, 'revoked': steps.revoke.status }"
    timeout: 1m
    on_error: { default: exception }
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter, {
      input: { accounts: [{ manager: "m1" }, { manager: "m2" }] },
    });
    const tasks = run.all("open-task");
    expect(tasks.map((t) => [t.assignees, t.shows])).toEqual([
      [["user:m1"], { account: { manager: "m1" } }],
      [["user:m2"], { account: { manager: "m2" } }],
    ]);
    await run.send({
      type: "task.decided",
      taskId: tasks[0]!.taskId,
      by: "user:m1",
      roles: [],
      outcome: "approved",
    });
    await run.send({
      type: "task.decided",
      taskId: tasks[1]!.taskId,
      by: "user:m2",
      roles: [],
      outcome: "rejected",
    });
    const records = () => run.jobs("record").map((j) => j.input);
    expect(records()).toEqual([{ item: 0, decision: "approved" }]);
    await run.succeed("revoke", { revoked: true });
    expect(records()).toEqual([
      { item: 0, decision: "approved" },
      { item: 1, decision: "rejected", revoked: "succeeded" },
    ]);
  });

  it("an expired approval in a branch goes to its expire step within the branch", async () => {
    const charter = charterFrom(`
start: all
steps:
  all:
    kind: parallel
    owner: team:iam
    branches: [[certify, revoke]]
    next: done
  certify:
    kind: approval
    owner: team:iam
    assignee: role:manager
    due: 1d
    expire: { after: 2d, goto: revoke }
    outcomes: { approved: continue, rejected: revoke }
  revoke: { kind: action, owner: team:iam, handler: iam.revoke, timeout: 1m, on_error: { default: exception } }
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter);
    await run.advance(2 * DAY);
    expect(run.instance("revoke").scope).toBe("root/all#1:0");
    await run.succeed("revoke", "R");
    expect(run.instance("all").output).toEqual(["R"]);
  });

  it("an outcome route that leaves a branch cancels the siblings and the parallel counts as succeeded", async () => {
    const charter = charterFrom(`
start: both
steps:
  both:
    kind: parallel
    owner: team:ops
    branches: [[gate], [work]]
    next: done
  gate:
    kind: approval
    owner: role:lead
    assignee: role:lead
    due: 1d
    expire: { after: 2d, goto: exception }
    outcomes: { approved: continue, rejected: stopped }
  work: { kind: action, owner: team:ops, handler: w, timeout: 1m, on_error: { default: exception } }
  stopped: { kind: end, outcome: stopped }
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter);
    await run.decide("gate", "user:lee", "rejected", { roles: ["lead"] });
    expect(run.instance("work").status).toBe("cancelled");
    expect(run.instance("both").status).toBe("succeeded");
    expect(run.audits("parallel.left")[0]!.details).toMatchObject({ to: "stopped" });
    expect(run.state.outcome).toBe("stopped");
  });

  it("one event resumes every wait of the run that it matches", async () => {
    const charter = charterFrom(`
start: both
steps:
  both:
    kind: parallel
    owner: team:ops
    branches: [[w1], [w2]]
    next: done
  w1: { kind: wait, owner: team:ops, event: go, correlation: "'k'", timeout: 1d, on_timeout: exception }
  w2: { kind: wait, owner: team:ops, event: go, correlation: "'k'", timeout: 1d, on_timeout: exception }
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter);
    await run.send({ type: "event.received", name: "go", key: "k", data: 1 });
    expect(run.instance("both").output).toEqual([1, 1]);
    expect(run.state.outcome).toBe("done");
  });
});
