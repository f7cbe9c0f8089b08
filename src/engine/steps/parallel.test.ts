import { describe, expect, it } from "vitest";
import { charterFrom, DAY, RunDriver } from "../../../test/helpers/engine.js";

const BRANCHES = charterFrom(`
start: prepare
steps:
  prepare:
    kind: parallel
    owner: team:hr
    branches:
      - [payroll, verify]
      - [equipment]
      - [buddy-route, assign-buddy]
    on_error: { PAYROLL_DOWN: manual-payroll, default: exception }
    next: welcome
  payroll:
    kind: action
    owner: team:payroll
    handler: payroll.create
    timeout: 1m
    on_error: { EMPLOYEE_EXISTS: continue, FATAL: fix-by-hand }
  verify:
    kind: task
    owner: role:payroll
    assignee: role:payroll
    due: 1d
    escalate: { after: 1d, to: role:lead }
    expire: { after: 2d, goto: continue }
  equipment:
    kind: action
    owner: team:it
    handler: it.order
    timeout: 1m
    on_error: { default: exception }
  buddy-route:
    kind: decision
    owner: team:hr
    rules: [{ when: "$exists(input.buddy)", goto: continue }]
    default: assign-buddy
  assign-buddy:
    kind: wait
    owner: team:hr
    event: buddy.assigned
    correlation: input.employeeId
    timeout: 5d
    on_timeout: continue
  welcome:
    kind: action
    owner: team:hr
    handler: email.welcome
    input: "{ 'payroll': steps.payroll.output, 'buddy': steps.\`assign-buddy\`.output, 'all': steps.prepare.output }"
    timeout: 1m
    on_error: { default: exception }
    next: done
  manual-payroll:
    kind: action
    owner: team:payroll
    handler: payroll.manual
    input: "{ 'error': steps.payroll.error.code }"
    timeout: 1m
    on_error: { default: exception }
    next: done
  fix-by-hand: { kind: end, outcome: fixed-by-hand }
  done: { kind: end, outcome: done }
`);

describe("parallel branches", () => {
  it("each branch starts its first step in its own scope", async () => {
    const run = await RunDriver.start(BRANCHES, { input: { employeeId: "e1" } });
    expect(run.instance("payroll").scope).toBe("root/prepare#1:0");
    expect(run.instance("equipment").scope).toBe("root/prepare#1:1");
    // The decision ran at once and chose the next step of its branch.
    expect(run.instance("buddy-route").decision?.outcome).toBe("assign-buddy");
    expect(run.instance("assign-buddy")).toMatchObject({ scope: "root/prepare#1:2", status: "waiting" });
    expect(run.instance("prepare").status).toBe("running");
    expect(run.state.parallels["root/prepare#1"]).toMatchObject({ total: 3, running: [0, 1, 2], done: [] });
  });

  it("a branch runs its list in order, and the join lists each branch's last output in branch order", async () => {
    const run = await RunDriver.start(BRANCHES, { input: { employeeId: "e1" } });
    await run.send({ type: "event.received", name: "buddy.assigned", key: "e1", data: { buddy: "bo" } });
    await run.succeed("equipment", { order: 7 });
    await run.succeed("payroll", { payrollId: "p1" });
    expect(run.instance("verify").status).toBe("waiting");
    expect(run.instances("welcome")).toEqual([]);
    await run.decide("verify", "user:pat", "submitted", { roles: ["payroll"], data: { ok: true } });
    expect(run.instance("prepare")).toMatchObject({
      status: "succeeded",
      output: [{ ok: true }, { order: 7 }, { buddy: "bo" }],
    });
    // After the join, steps of the branches are readable from the enclosing scope.
    expect(run.job("welcome").input).toEqual({
      payroll: { payrollId: "p1" },
      buddy: { buddy: "bo" },
      all: [{ ok: true }, { order: 7 }, { buddy: "bo" }],
    });
  });

  it("`continue` carries on with the branch: from a decision, a routed error, an expired task and a timed-out wait", async () => {
    const run = await RunDriver.start(BRANCHES, { input: { employeeId: "e1", buddy: "bo" } });
    expect(run.instance("buddy-route").decision).toMatchObject({ outcome: "continue", rule: "rule 1" });
    expect(run.instance("assign-buddy").status).toBe("waiting");
    await run.fail("payroll", "EMPLOYEE_EXISTS", false);
    expect(run.instance("payroll").status).toBe("failed");
    expect(run.instance("verify").status).toBe("waiting");
    await run.succeed("equipment");
    await run.advance(2 * DAY);
    expect(run.instance("verify").status).toBe("expired");
    expect(run.state.parallels["root/prepare#1"]!.done).toEqual([1, 0]);
    await run.advance(3 * DAY);
    expect(run.instance("assign-buddy")).toMatchObject({ status: "failed", error: { code: "TIMEOUT" } });
    expect(run.instance("prepare")).toMatchObject({ status: "succeeded", output: [null, {}, null] });
    expect(run.instance("welcome").status).toBe("running");
  });

  it("an error route that leaves a branch cancels the siblings and continues in the enclosing scope", async () => {
    const run = await RunDriver.start(BRANCHES, { input: { employeeId: "e1" } });
    const equipmentJob = run.job("equipment");
    const subscription = run.instance("assign-buddy").subscription!;
    await run.fail("payroll", "FATAL", false);
    expect(run.instance("equipment").status).toBe("cancelled");
    expect(run.instance("assign-buddy").status).toBe("cancelled");
    expect(run.lastOf("unsubscribe-event")).toEqual([
      { type: "unsubscribe-event", subscriptionId: subscription.id },
    ]);
    expect(run.lastOf("cancel-timer").length).toBeGreaterThanOrEqual(2);
    expect(run.instance("prepare")).toMatchObject({ status: "failed", error: { code: "FATAL" } });
    expect(run.state.scopes["root/prepare#1:1"]!.status).toBe("cancelled");
    expect(run.state).toMatchObject({ status: "completed", outcome: "fixed-by-hand" });
    // The cancelled job's result is stale.
    const late = await run.send({
      type: "handler.succeeded",
      instance: equipmentJob.instance,
      attempt: 1,
      output: {},
    });
    expect(late.commands).toEqual([]);
  });

  it("a branch step's error with no route of its own goes by the parallel's on_error, leaving the branch", async () => {
    const run = await RunDriver.start(BRANCHES, { input: { employeeId: "e1" } });
    await run.succeed("payroll");
    const verifyTask = run.task("verify").taskId;
    await run.fail("equipment", "X", false);
    // equipment's own on_error sends everything to the exception queue: siblings keep running.
    expect(run.instance("equipment").status).toBe("exception");
    expect(run.instance("verify").status).toBe("waiting");
    expect(run.all("close-task")).toEqual([]);
    expect(verifyTask).toBeDefined();
  });

  it("an unrouted code bubbles to the parallel's on_error, cancels the siblings' tasks, and the target reads the error", async () => {
    const run = await RunDriver.start(BRANCHES, { input: { employeeId: "e1" } });
    await run.fail("payroll", "PAYROLL_DOWN", false);
    expect(run.instance("prepare").status).toBe("failed");
    expect(run.instance("manual-payroll").scope).toBe("root");
    expect(run.job("manual-payroll").input).toEqual({ error: "PAYROLL_DOWN" });
  });
});

const FOR_EACH = charterFrom(`
start: scan
steps:
  scan:
    kind: parallel
    owner: team:security
    for_each: "input.files"
    as: file
    concurrency: 2
    branch: [scan-file]
    on_error: { default: exception }
    next: done
  scan-file:
    kind: action
    owner: team:security
    handler: av.scan
    input: "{ 'name': file.name, 'position': index }"
    timeout: 1m
    on_error: { MALWARE: quarantine, default: exception }
  quarantine:
    kind: action
    owner: team:security
    handler: helpdesk.quarantine
    input: "{ 'scan': steps.\`scan-file\`.error.details }"
    timeout: 1m
    on_error: { default: exception }
    next: quarantined
  quarantined: { kind: end, outcome: quarantined }
  done: { kind: end, outcome: done }
`);

const FILES = ["a", "b", "c", "d", "e"].map((name) => ({ name }));

describe("parallel for_each", () => {
  it("for_each opens at most `concurrency` item scopes, and the rest as others finish", async () => {
    const run = await RunDriver.start(FOR_EACH, { input: { files: FILES } });
    expect(run.jobs("scan-file").map((j) => j.input)).toEqual([
      { name: "a", position: 0 },
      { name: "b", position: 1 },
    ]);
    const [, second] = run.jobs("scan-file");
    await run.send({ type: "handler.succeeded", instance: second!.instance, attempt: 1, output: "B" });
    expect(run.jobs("scan-file").map((j) => (j.input as { name: string }).name)).toEqual(["a", "c"]);
    expect(run.state.parallels["root/scan#1"]).toMatchObject({ pending: [3, 4], running: [0, 2], done: [1] });
  });

  it("the join lists the items' outputs in item order, whatever order they finished in", async () => {
    const run = await RunDriver.start(FOR_EACH, { input: { files: FILES } });
    while (run.jobs("scan-file").length > 0) {
      const jobs = run.jobs("scan-file");
      expect(jobs.length).toBeLessThanOrEqual(2);
      // Finish the newest first, so completion order differs from item order.
      const job = jobs[jobs.length - 1]!;
      await run.send({
        type: "handler.succeeded",
        instance: job.instance,
        attempt: 1,
        output: (job.input as { name: string }).name.toUpperCase(),
      });
    }
    expect(run.instance("scan").output).toEqual(["A", "B", "C", "D", "E"]);
    expect(run.state.outcome).toBe("done");
  });

  it("an empty list joins at once with an empty output", async () => {
    const run = await RunDriver.start(FOR_EACH, { input: { files: [] } });
    expect(run.instance("scan").output).toEqual([]);
    expect(run.state.outcome).toBe("done");
  });

  it("an item's error routed out of the branch cancels the other items and the target reads the error", async () => {
    const run = await RunDriver.start(FOR_EACH, { input: { files: FILES } });
    const [first] = run.jobs("scan-file");
    await run.send({
      type: "handler.failed",
      instance: first!.instance,
      attempt: 1,
      error: { code: "MALWARE", message: "infected", retryable: false, details: { file: "a" } },
    });
    expect(run.instances("scan-file").map((i) => i.status)).toEqual(["failed", "cancelled"]);
    expect(run.state.parallels["root/scan#1"]!.pending).toEqual([]);
    expect(run.job("quarantine").input).toEqual({ scan: { file: "a" } });
  });
});

describe("nested parallels", () => {
  it("a parallel in a branch joins into its enclosing branch, which then carries on", async () => {
    const charter = charterFrom(`
start: outer
steps:
  outer:
    kind: parallel
    owner: team:ops
    branches: [[inner, after-inner], [side]]
    next: done
  inner:
    kind: parallel
    owner: team:ops
    branches: [[x], [y]]
  x: { kind: action, owner: team:ops, handler: x, timeout: 1m, on_error: { default: exception } }
  y: { kind: action, owner: team:ops, handler: y, timeout: 1m, on_error: { default: exception } }
  after-inner: { kind: action, owner: team:ops, handler: z, input: "steps.inner.output", timeout: 1m, on_error: { default: exception } }
  side: { kind: action, owner: team:ops, handler: s, timeout: 1m, on_error: { default: exception } }
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter);
    expect(run.instance("x").scope).toBe("root/outer#1:0/inner#1:0");
    await run.succeed("y", "Y");
    await run.succeed("x", "X");
    expect(run.job("after-inner").input).toEqual(["X", "Y"]);
    await run.succeed("side", "S");
    await run.succeed("after-inner", "Z");
    expect(run.instance("outer").output).toEqual(["Z", "S"]);
    expect(run.state.outcome).toBe("done");
  });
});
