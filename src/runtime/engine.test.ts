/** The facade over a real SQLite store: deploy, start, handlers, decisions, approvals, events. */
import { afterEach, describe, expect, it } from "vitest";
import { closeAll, charterOf, DAY, openEngine, PURCHASE } from "../../test/helpers/runtime.js";
import { isCharterError } from "../errors.js";
import { defineAction } from "./handlers.js";
import { NonRetryableError } from "./handler-errors.js";

afterEach(closeAll);

const purchase = charterOf(PURCHASE);

function purchaseHandlers(calls: string[] = []) {
  return [
    defineAction({
      name: "budget.check",
      run: async (input: { amount: number }) => {
        calls.push("budget.check");
        if (input.amount > 10_000) throw new NonRetryableError("over budget", { code: "OVER_BUDGET" });
        return { remaining: 5000 - input.amount };
      },
    }),
    defineAction({
      name: "orders.place",
      run: async (_input: unknown, { idempotencyKey }) => {
        calls.push(`orders.place ${idempotencyKey}`);
        return { orderId: "PO-1" };
      },
    }),
  ];
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("deploy", () => {
  it("stores a version once: deploying an unchanged charter again is a no-op", async () => {
    const { engine } = openEngine();
    const first = await engine.deploy(purchase.charter, purchase.source);
    const again = await engine.deploy(purchase.charter, purchase.source);
    expect(first).toMatchObject({ workflow: "purchase-request", created: true });
    expect(again).toEqual({ ...first, created: false });
    expect(first.version).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a charter with lint errors (DEFINITION_INVALID)", async () => {
    const { engine } = openEngine();
    const broken = charterOf(
      PURCHASE.replace("    timeout: 30s\n    retry: { max_attempts: 3", "    retry: { max_attempts: 3"),
    );
    const error = await caught(engine.deploy(broken.charter, broken.source));
    expect(isCharterError(error) && error.code).toBe("DEFINITION_INVALID");
  });

  it("a running run stays on its version after a changed charter is deployed; new runs take the new one", async () => {
    const { engine } = openEngine({ handlers: purchaseHandlers() });
    const v1 = await engine.deploy(purchase.charter, purchase.source);
    const { runId: old } = await engine.start("purchase-request", {
      input: { item: "desk", amount: 500 },
      as: "user:cat",
    });
    const changed = charterOf(PURCHASE.replace('"input.amount <= 100"', '"input.amount <= 1000"'));
    const v2 = await engine.deploy(changed.charter, changed.source);
    expect(v2.created).toBe(true);
    expect(v2.version).not.toBe(v1.version);
    const { runId: fresh } = await engine.start("purchase-request", {
      input: { item: "desk", amount: 500 },
      as: "user:cat",
    });
    await engine.runUntilIdle();
    const oldRun = await engine.getRun(old);
    const newRun = await engine.getRun(fresh);
    expect(oldRun?.summary.version).toBe(v1.version);
    expect(newRun?.summary.version).toBe(v2.version);
    // Under v1, 500 needs an approval; under v2 it is ordered straight away.
    expect(oldRun?.state.status).toBe("running");
    expect(newRun?.state).toMatchObject({ status: "completed", outcome: "ordered" });
    // Redeploying v1 is a no-op and does not make it the latest again.
    expect((await engine.deploy(purchase.charter, purchase.source)).created).toBe(false);
    const third = await engine.start("purchase-request", {
      input: { item: "desk", amount: 500 },
      as: "user:cat",
    });
    expect((await engine.getRun(third.runId))?.summary.version).toBe(v2.version);
  });
});

describe("start", () => {
  it("a start with an idempotency key seen before returns the same run", async () => {
    const { engine } = openEngine();
    await engine.deploy(purchase.charter, purchase.source);
    const options = { input: { item: "pen", amount: 5 }, as: "user:cat", idempotencyKey: "req-42" };
    const first = await engine.start("purchase-request", options);
    const second = await engine.start("purchase-request", options);
    expect(first.created).toBe(true);
    expect(second).toEqual({ runId: first.runId, created: false });
    expect((await engine.listRuns()).items).toHaveLength(1);
  });

  it("an invalid input is refused with INPUT_INVALID naming the field, and no run", async () => {
    const { engine } = openEngine();
    await engine.deploy(purchase.charter, purchase.source);
    const error = await caught(engine.start("purchase-request", { input: { item: "pen" }, as: "user:cat" }));
    expect(isCharterError(error) && error.code).toBe("INPUT_INVALID");
    expect(isCharterError(error) && error.details.field).toBe("/amount");
    expect((await engine.listRuns()).items).toHaveLength(0);
  });

  it("a workflow that is not deployed is NOT_FOUND", async () => {
    const { engine } = openEngine();
    const error = await caught(engine.start("nope", { input: {}, as: "user:cat" }));
    expect(isCharterError(error) && error.code).toBe("NOT_FOUND");
  });
});

describe("a run end to end", () => {
  it("start -> handler -> decision -> approval decided by another person -> order -> end", async () => {
    const calls: string[] = [];
    const { engine } = openEngine({ handlers: purchaseHandlers(calls) });
    await engine.deploy(purchase.charter, purchase.source);
    const { runId } = await engine.start("purchase-request", {
      input: { item: "chair", amount: 400 },
      as: "user:amy",
    });
    expect(await engine.runUntilIdle()).toBe(1);
    const [task] = (await engine.listTasks({ as: "user:ben" })).items;
    expect(task).toMatchObject({ runId, assignees: ["role:approver"], status: "open" });
    // amy started the run: not_by initiator hides the task from her inbox and refuses her decision.
    expect((await engine.listTasks({ as: "user:amy" })).items).toHaveLength(0);
    const refused = await caught(
      engine.decide(task!.taskId, { as: "user:amy", outcome: "approved", reason: "mine" }),
    );
    expect(isCharterError(refused) && refused.code).toBe("FORBIDDEN");
    const noReason = await caught(engine.decide(task!.taskId, { as: "user:ben", outcome: "approved" }));
    expect(isCharterError(noReason) && noReason.code).toBe("CONFLICT");
    const stranger = await caught(
      engine.decide(task!.taskId, { as: "user:zed", outcome: "approved", reason: "ok" }),
    );
    expect(isCharterError(stranger) && stranger.code).toBe("FORBIDDEN");

    await engine.claimTask(task!.taskId, "user:ben");
    await engine.decide(task!.taskId, { as: "user:ben", outcome: "approved", reason: "within budget" });
    await engine.runUntilIdle();
    const run = await engine.getRun(runId);
    expect(run?.state).toMatchObject({ status: "completed", outcome: "ordered", success: true });
    expect(calls).toEqual(["budget.check", `orders.place ${runId}-order`]);
    const timeline = await engine.timeline(runId);
    expect(timeline.map((e) => e.what)).toContain("decision.refused");
    // The start is both an event and an audit record: the timeline shows it once.
    expect(timeline.filter((e) => e.what === "run.started")).toHaveLength(1);
    expect(timeline.find((e) => e.what === "approval.decided")).toMatchObject({
      actor: "user:ben",
      step: "approve",
      detail: "within budget",
    });
    const [verdict] = await engine.verifyAudit(runId);
    expect(verdict?.verdict.ok).toBe(true);
  });

  it("an approval nobody decides expires on the clock and goes to its expire step", async () => {
    const { engine, clock } = openEngine({ handlers: purchaseHandlers() });
    await engine.deploy(purchase.charter, purchase.source);
    const { runId } = await engine.start("purchase-request", {
      input: { item: "chair", amount: 400 },
      as: "user:amy",
    });
    await engine.runUntilIdle();
    clock.advance(3 * DAY - 1);
    await engine.runUntilIdle();
    expect((await engine.getRun(runId))?.state.status).toBe("running");
    clock.advance(1);
    await engine.runUntilIdle();
    expect((await engine.getRun(runId))?.state).toMatchObject({ status: "completed", outcome: "declined" });
    expect((await engine.listTasks({ status: "expired" })).items).toHaveLength(1);
  });
});

describe("events", () => {
  const PAYMENT = charterOf(`
charter: 1
workflow: await-payment
title: Await a payment
owner: team:operations
triggers: [{ manual: {} }]
input:
  schema: { type: object, required: [invoiceId], properties: { invoiceId: { type: string } } }
  on_invalid: reject
success: { outcomes: [paid] }
start: wait-payment
steps:
  wait-payment:
    kind: wait
    owner: team:operations
    event: payment.received
    correlation: input.invoiceId
    timeout: 7d
    on_timeout: unpaid
    next: paid
  paid: { kind: end, outcome: paid }
  unpaid: { kind: end, outcome: unpaid, success: false }
`);

  it("sendEvent resumes the runs waiting for that name and key, and only those", async () => {
    const { engine } = openEngine();
    await engine.deploy(PAYMENT.charter, PAYMENT.source);
    const a = await engine.start("await-payment", { input: { invoiceId: "INV-1" }, as: "user:cat" });
    const b = await engine.start("await-payment", { input: { invoiceId: "INV-2" }, as: "user:cat" });
    expect(await engine.sendEvent("payment.received", { key: "INV-9" })).toEqual({ delivered: 0 });
    expect(await engine.sendEvent("payment.other", { key: "INV-1" })).toEqual({ delivered: 0 });
    expect(await engine.sendEvent("payment.received", { key: "INV-1", data: { amount: 12 } })).toEqual({
      delivered: 1,
    });
    const paid = (await engine.getRun(a.runId))!.state;
    expect(paid).toMatchObject({ status: "completed", outcome: "paid" });
    expect(paid.steps["root/wait-payment#1"]!.output).toEqual({ amount: 12 });
    expect((await engine.getRun(b.runId))!.state.status).toBe("running");
    // Delivered once: the run no longer waits, so the same event again resumes nothing.
    expect(await engine.sendEvent("payment.received", { key: "INV-1" })).toEqual({ delivered: 0 });
  });

  it("a wait past its timeout takes on_timeout", async () => {
    const { engine, clock } = openEngine();
    await engine.deploy(PAYMENT.charter, PAYMENT.source);
    const { runId } = await engine.start("await-payment", { input: { invoiceId: "INV-1" }, as: "user:cat" });
    clock.advance(7 * DAY);
    await engine.runUntilIdle();
    expect((await engine.getRun(runId))!.state).toMatchObject({ status: "completed", outcome: "unpaid" });
    expect(await engine.sendEvent("payment.received", { key: "INV-1" })).toEqual({ delivered: 0 });
  });
});

describe("closing", () => {
  it("close stops the workers and closes the store; the engine then refuses work", async () => {
    const { engine } = openEngine({ pollIntervalMs: 5 });
    await engine.deploy(purchase.charter, purchase.source);
    const worker = engine.runWorker({ signal: new AbortController().signal });
    await engine.close();
    await worker;
    await engine.close();
    const error = await caught(
      engine.start("purchase-request", { input: { item: "a", amount: 1 }, as: "user:cat" }),
    );
    expect(isCharterError(error) && error.code).toBe("CONFLICT");
  });
});
