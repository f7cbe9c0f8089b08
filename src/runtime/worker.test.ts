/** Workers: leases and fencing between two workers, runWorker's loop and shutdown, and the outbox. */
import { afterEach, describe, expect, it } from "vitest";
import {
  charterOf,
  closeAll,
  deferred,
  flakyCommits,
  openEngine,
  openEngineOver,
  openSecondEngine,
  PURCHASE,
  SECOND,
} from "../../test/helpers/runtime.js";
import { createSqliteStore } from "../store/sqlite/index.js";
import type { ActionContext } from "./engine.js";
import { defineAction } from "./handlers.js";

afterEach(closeAll);

const SMALL = { item: "pen", amount: 5 };
const purchase = charterOf(PURCHASE);

function handlers(check: (input: unknown, context: ActionContext) => Promise<unknown>, calls: string[] = []) {
  return [
    defineAction({ name: "budget.check", run: check }),
    defineAction({
      name: "orders.place",
      run: async () => (calls.push("orders.place"), { orderId: "PO-1" }),
    }),
  ];
}

describe("leases and fencing", () => {
  it("a stale worker (its lease expired and another worker took the job) cannot commit", async () => {
    const releaseA = deferred();
    const startedA = deferred();
    const a = openEngine({
      leaseMs: 10 * SECOND,
      handlers: handlers(async () => {
        startedA.resolve();
        await releaseA.promise;
        return { by: "A" };
      }),
    });
    await a.engine.deploy(purchase.charter, purchase.source);
    const { runId } = await a.engine.start("purchase-request", { input: SMALL, as: "user:cat" });
    const idleA = a.engine.runUntilIdle();
    await startedA.promise;

    // A stalls past its lease; B takes the job (lease 2) and is still working on it.
    a.clock.advance(10 * SECOND);
    const releaseB = deferred();
    const startedB = deferred();
    const b = openSecondEngine(a, {
      leaseMs: 10 * SECOND,
      handlers: handlers(async () => {
        startedB.resolve();
        await releaseB.promise;
        return { by: "B" };
      }),
    });
    const idleB = b.engine.runUntilIdle();
    await startedB.promise;

    // A finishes first, but its lease is gone: nothing it computed is written.
    releaseA.resolve();
    await idleA;
    const afterA = (await a.engine.getRun(runId))!.state;
    expect(afterA.steps["root/check-budget#1"]).toMatchObject({ status: "running" });
    expect(afterA.seq).toBe(1);

    releaseB.resolve();
    await idleB;
    const done = (await a.engine.getRun(runId))!.state;
    expect(done).toMatchObject({ status: "completed", outcome: "ordered" });
    expect(done.steps["root/check-budget#1"]!.output).toEqual({ by: "B" });
    const history = await a.store.history(runId);
    expect(history.filter((h) => h.event.type === "handler.succeeded")).toHaveLength(2);
    expect(history.map((h) => h.seq)).toEqual(history.map((_, i) => i + 1));
  });

  it("a job whose run has ended is completed without calling its handler", async () => {
    let calls = 0;
    const t = openEngine({ handlers: handlers(async () => (calls++, {})) });
    await t.engine.deploy(purchase.charter, purchase.source);
    const { runId } = await t.engine.start("purchase-request", { input: SMALL, as: "user:cat" });
    await t.engine.cancelRun(runId, { as: "user:cat", reason: "not needed" });
    expect(await t.engine.runUntilIdle()).toBe(1);
    expect(calls).toBe(0);
    expect(t.store._internals.db.prepare("SELECT count(*) AS n FROM jobs").get()).toEqual({ n: 0 });
  });

  it("a handler this worker does not have fails the step with HANDLER_NOT_FOUND", async () => {
    const t = openEngine();
    await t.engine.deploy(purchase.charter, purchase.source);
    const { runId } = await t.engine.start("purchase-request", { input: SMALL, as: "user:cat" });
    await t.engine.runUntilIdle();
    expect((await t.engine.getRun(runId))!.state.steps["root/check-budget#1"]).toMatchObject({
      status: "exception",
      error: { code: "HANDLER_NOT_FOUND", retryable: false },
    });
  });
});

describe("runWorker", () => {
  it("works until its signal aborts, then lets the handler in flight finish and commit", async () => {
    const placing = deferred();
    const release = deferred();
    const t = openEngine({
      pollIntervalMs: 5,
      handlers: [
        defineAction({ name: "budget.check", run: async () => ({}) }),
        defineAction({
          name: "orders.place",
          run: async () => {
            placing.resolve();
            await release.promise;
            return { orderId: "PO-9" };
          },
        }),
      ],
    });
    await t.engine.deploy(purchase.charter, purchase.source);
    const stop = new AbortController();
    const worker = t.engine.runWorker({ signal: stop.signal });
    const { runId } = await t.engine.start("purchase-request", { input: SMALL, as: "user:cat" });
    await placing.promise;
    stop.abort();
    release.resolve();
    await worker;
    expect((await t.engine.getRun(runId))!.state).toMatchObject({ status: "completed", outcome: "ordered" });
  });

  it("past the grace period it aborts the handler, commits nothing, and the job is retried after its lease", async () => {
    const started = deferred<AbortSignal>();
    let attempts = 0;
    const t = openEngine({
      pollIntervalMs: 5,
      shutdownGraceMs: 0,
      leaseMs: 5 * SECOND,
      handlers: handlers(async (_input, { signal }) => {
        attempts++;
        if (attempts > 1) return {};
        started.resolve(signal);
        return new Promise((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason)),
        );
      }),
    });
    await t.engine.deploy(purchase.charter, purchase.source);
    const { runId } = await t.engine.start("purchase-request", { input: SMALL, as: "user:cat" });
    const stop = new AbortController();
    const worker = t.engine.runWorker({ signal: stop.signal });
    const signal = await started.promise;
    stop.abort();
    await worker;
    expect(signal.aborted).toBe(true);
    expect((await t.engine.getRun(runId))!.state.steps["root/check-budget#1"]).toMatchObject({
      status: "running",
    });
    expect(await t.engine.runUntilIdle()).toBe(0); // still leased
    t.clock.advance(5 * SECOND);
    await t.engine.runUntilIdle();
    expect(attempts).toBe(2);
    expect((await t.engine.getRun(runId))!.state).toMatchObject({ status: "completed" });
  });

  it("fires timers as they come due while it runs", async () => {
    let calls = 0;
    const retried = deferred();
    const t = openEngine({
      pollIntervalMs: 5,
      handlers: handlers(async () => {
        if (++calls === 1) throw new Error("flaky");
        retried.resolve();
        return {};
      }),
    });
    await t.engine.deploy(purchase.charter, purchase.source);
    await t.engine.start("purchase-request", { input: SMALL, as: "user:cat" });
    const stop = new AbortController();
    const worker = t.engine.runWorker({ signal: stop.signal });
    // The retry is due 1s later on the manual clock; the worker polls and fires it once we get there.
    while (calls === 0) await new Promise((resolve) => setImmediate(resolve));
    t.clock.advance(SECOND);
    await retried.promise;
    stop.abort();
    await worker;
    expect(calls).toBe(2);
  });
});

describe("outbox", () => {
  it("an outbox command that failed right after the commit is carried out by a worker later", async () => {
    const t = openEngine();
    // A store that fails once to create the child, as if the process died between the commit and the child's start.
    const flaky = flakyCommits(
      t.store,
      (writes) => writes.some((w) => w.kind === "create" && w.state.parent),
      new Error("connection lost"),
    );
    const engine = openEngineOver(flaky.store, { clock: t.clock });
    const parent = charterOf(`
charter: 1
workflow: parent
title: Parent
owner: team:operations
triggers: [{ manual: {} }]
input: { schema: { type: object }, on_invalid: reject }
success: { outcomes: [done] }
start: call-child
steps:
  call-child:
    kind: workflow
    owner: team:operations
    workflow: child
    timeout: 1h
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
`);
    const child = charterOf(`
charter: 1
workflow: child
title: Child
owner: team:operations
triggers: [{ manual: {} }]
input: { schema: { type: object }, on_invalid: reject }
success: { outcomes: [done] }
start: done
steps:
  done: { kind: end, outcome: done }
`);
    await engine.deploy(child.charter, child.source);
    await engine.deploy(parent.charter, parent.source);
    const { runId } = await engine.start("parent", { input: {}, as: "user:cat" });
    expect((await engine.getRun(runId))!.state.status).toBe("running");
    expect(await engine.runUntilIdle()).toBeGreaterThan(0);
    expect((await engine.getRun(runId))!.state).toMatchObject({ status: "completed", outcome: "done" });
    const other = createSqliteStore({ path: t.file });
    try {
      expect((await other.listRuns({})).items.map((r) => r.workflow).sort()).toEqual(["child", "parent"]);
    } finally {
      await other.close();
    }
  });
});
