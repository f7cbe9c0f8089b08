/**
 * Throughput by design: concurrent transitions share one transaction (the commit queue), a
 * worker runs the jobs its own commits create without leasing them, transitions of one run are
 * pipelined into the same batch, and `waitForRun` wakes when a run ends.
 */
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
} from "../../test/helpers/runtime.js";
import type { BatchWrite, Store } from "../store/store.js";
import { isCharterError } from "../errors.js";
import { createCommitQueue } from "./commit-queue.js";
import type { EngineConfig } from "./engine.js";
import { defineAction } from "./handlers.js";
import type { TestEngine } from "../../test/helpers/runtime.js";

afterEach(closeAll);

/** Three action steps in a row, each adding one: a run started with n ends with n + 3. */
const CHAIN = charterOf(`
charter: 1
workflow: chain
title: Chain
owner: team:operations
triggers: [{ manual: {} }]
input: { schema: { type: object, required: [n], properties: { n: { type: number } } }, on_invalid: reject }
success: { outcomes: [done] }
start: a
steps:
  a: { kind: action, owner: team:operations, handler: inc, input: "{ 'n': input.n }", timeout: 10s, on_error: { default: exception }, next: b }
  b: { kind: action, owner: team:operations, handler: inc, input: "{ 'n': steps.a.output.n }", timeout: 10s, on_error: { default: exception }, next: c }
  c: { kind: action, owner: team:operations, handler: inc, input: "{ 'n': steps.b.output.n }", timeout: 10s, on_error: { default: exception }, next: done }
  done: { kind: end, outcome: done }
`);

const inc = defineAction({ name: "inc", run: async ({ n }: { n: number }) => ({ n: n + 1 }) });

/** An engine over the test engine's file whose store calls are counted (see {@link counted}). */
function countedEngine(config: Partial<EngineConfig> = {}) {
  const base = openEngine(config);
  const counts = counted(base);
  const engine = openEngineOver(counts.store, { clock: base.clock, ...config });
  return { ...counts, t: { ...base, engine } };
}

/** Counts the store calls the runtime makes, by method, and the size of every batch. */
function counted(t: TestEngine): { store: Store; calls: Record<string, number>; batches: number[] } {
  const calls: Record<string, number> = {};
  const batches: number[] = [];
  const store = new Proxy(t.store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== "function" || typeof name !== "string") return value;
      return (...args: unknown[]) => {
        calls[name] = (calls[name] ?? 0) + 1;
        if (name === "commitBatch") batches.push((args[0] as BatchWrite[]).length);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls, batches };
}

async function startChains(t: TestEngine, count: number): Promise<string[]> {
  await t.engine.deploy(CHAIN.charter, CHAIN.source);
  const started = await Promise.all(
    Array.from({ length: count }, (_, n) => t.engine.start("chain", { input: { n }, as: "user:cat" })),
  );
  return started.map((s) => s.runId);
}

describe("the commit queue", () => {
  it("writes the runs started together in one transaction", async () => {
    const { t, batches } = countedEngine({ handlers: [inc] });
    await startChains(t, 50);
    expect(batches).toEqual([50]);
  });

  it("splits a batch that throws, so only the write that fails alone is refused", async () => {
    const t = openEngine();
    const failing: Store = {
      ...t.store,
      commitBatch: async (writes) => {
        if (writes.length > 1) throw new Error("one of these is bad");
        if (writes[0]!.kind === "create" && writes[0]!.state.runId === "run_bad") throw new Error("bad run");
        return t.store.commitBatch(writes);
      },
    };
    const queue = createCommitQueue(failing);
    const [good, bad] = await Promise.allSettled([
      queue.submit(firstWrite("run_good")).done,
      queue.submit(firstWrite("run_bad")).done,
    ]);
    expect(good).toEqual({ status: "fulfilled", value: { runId: "run_good", ok: true } });
    expect(bad.status === "rejected" && (bad.reason as Error).message).toBe("bad run");
  });

  it("refuses a write whose base write was refused in an earlier batch, without asking the store", async () => {
    const t = openEngine();
    const seen: string[][] = [];
    const release = deferred();
    const stub: Store = {
      ...t.store,
      commitBatch: async (writes) => {
        seen.push(writes.map((w) => (w.kind === "create" ? w.state.runId : w.runId)));
        await release.promise;
        return writes.map((w) => ({ runId: w.kind === "create" ? w.state.runId : w.runId, ok: false }));
      },
    };
    const queue = createCommitQueue(stub);
    const base = queue.submit(firstWrite("run_a"));
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is in flight
    const dependent = queue.submit(firstWrite("run_a"), base);
    release.resolve();
    expect(await base.done).toEqual({ runId: "run_a", ok: false });
    expect(await dependent.done).toEqual({ runId: "run_a", ok: false, refused: "earlier-write" });
    expect(seen).toEqual([["run_a"]]);
  });
});

describe("a worker's own jobs", () => {
  it("runs the steps its commits create without leasing them, and every run ends right", async () => {
    const { t, calls, batches } = countedEngine({ handlers: [inc], concurrency: 100 });
    const stop = new AbortController();
    const worker = t.engine.runWorker({ signal: stop.signal });
    const runIds = await startChains(t, 40);
    const ended = await Promise.all(runIds.map((id) => t.engine.waitForRun(id)));
    const reads = calls.getRun ?? 0;
    stop.abort();
    await worker;
    expect(ended.every((run) => run.status === "completed" && run.outcome === "done")).toBe(true);
    for (const [n, runId] of runIds.entries()) {
      const view = await t.engine.getRun(runId);
      expect(view!.state.steps["root/c#1"]!.output).toEqual({ n: n + 3 });
    }
    // 40 starts and 120 step results, in a handful of transactions; no job had to be leased.
    expect(batches.reduce((a, b) => a + b, 0)).toBe(160);
    expect(batches.length).toBeLessThanOrEqual(8);
    expect(
      (await t.store.leaseJobs("nobody", 10, new Date().toISOString(), new Date().toISOString())).length,
    ).toBe(0);
    expect(reads).toBe(40); // waitForRun's first look, not one per step
  });

  it("claims no more jobs than it has free slots; the rest wait in the store for any worker", async () => {
    const release = deferred();
    const slow = defineAction({
      name: "inc",
      run: async ({ n }: { n: number }) => (await release.promise, { n: n + 1 }),
    });
    const t = openEngine();
    const w = openSecondEngine(t, { handlers: [slow], concurrency: 3 });
    const stop = new AbortController();
    const worker = w.engine.runWorker({ signal: stop.signal });
    await w.engine.deploy(CHAIN.charter, CHAIN.source);
    const runIds = await Promise.all(
      Array.from({ length: 5 }, (_, n) => w.engine.start("chain", { input: { n }, as: "user:cat" })),
    );
    try {
      const now = t.clock.now().toISOString();
      // Three claimed by the worker (lease 1, its id), two left for anyone.
      const free = await t.store.leaseJobs("other", 10, now, now);
      expect(free.map((job) => job.lease)).toEqual([1, 1]);
    } finally {
      release.resolve();
      stop.abort();
      await worker;
    }
    expect(runIds).toHaveLength(5);
  });
});

describe("a commit that throws", () => {
  it("gives back the slots it reserved for its jobs, so the worker keeps working", async () => {
    const t = openEngine();
    const flaky = flakyCommits(
      t.store,
      (writes) => writes.some((w) => w.claimJobs !== undefined && w.kind === "commit"),
      Object.assign(new Error("connection reset"), { code: "ECONNRESET" }),
    );
    const engine = openEngineOver(flaky.store, {
      handlers: [inc],
      concurrency: 1,
      leaseMs: 5,
      pollIntervalMs: 5,
    });
    await engine.deploy(CHAIN.charter, CHAIN.source);
    const runIds = await Promise.all(
      [1, 2, 3].map(async (n) => (await engine.start("chain", { input: { n }, as: "user:cat" })).runId),
    );
    const stop = new AbortController();
    const worker = engine.runWorker({ signal: stop.signal });
    try {
      const ended = await Promise.all(runIds.map((id) => engine.waitForRun(id)));
      expect(ended.map((run) => run.outcome)).toEqual(["done", "done", "done"]);
      expect(flaky.left()).toBe(0);
    } finally {
      stop.abort();
      await worker;
    }
  });
});

describe("one run's transitions in one batch", () => {
  it("pipelines the results of parallel steps of one run into the same transaction", async () => {
    const { t, batches } = countedEngine({ handlers: [inc], concurrency: 50 });
    const fan = charterOf(`
charter: 1
workflow: fan
title: Fan
owner: team:operations
triggers: [{ manual: {} }]
input: { schema: { type: object }, on_invalid: reject }
success: { outcomes: [done] }
start: each
steps:
  each:
    kind: parallel
    owner: team:operations
    for_each: "[1..20]"
    as: n
    branch: [one]
    concurrency: 20
    next: done
  one: { kind: action, owner: team:operations, handler: inc, input: "{ 'n': n }", timeout: 10s, on_error: { default: exception } }
  done: { kind: end, outcome: done }
`);
    await t.engine.deploy(fan.charter, fan.source);
    const stop = new AbortController();
    const worker = t.engine.runWorker({ signal: stop.signal });
    const { runId } = await t.engine.start("fan", { input: {}, as: "user:cat" });
    const run = await t.engine.waitForRun(runId);
    stop.abort();
    await worker;
    expect(run.status).toBe("completed");
    // 1 start + 20 results (+ the join), with few refused writes: far fewer batches than writes.
    expect(batches.length).toBeLessThan(10);
  });

  it("an event that a remembered state would ignore or refuse is judged on the store's state", async () => {
    const purchaseHandlers = [
      defineAction({ name: "budget.check", run: async () => ({ ok: true }) }),
      defineAction({ name: "orders.place", run: async () => ({ orderId: "PO-1" }) }),
    ];
    const a = openEngine({ handlers: purchaseHandlers });
    const b = openSecondEngine(a, { handlers: purchaseHandlers });
    const purchase = charterOf(PURCHASE);
    await a.engine.deploy(purchase.charter, purchase.source);
    // A remembers the run as it started it: no approval yet.
    const { runId } = await a.engine.start("purchase-request", {
      input: { item: "desk", amount: 500 },
      as: "user:cat",
    });
    // B checks the budget: the run now waits for the approval, which A has never seen.
    await b.engine.runUntilIdle();
    const [task] = (await a.engine.listTasks({ as: "user:amy" })).items;
    // Judged on A's remembered state, the decision names no open task and would be refused.
    await a.engine.decide(task!.taskId, { as: "user:amy", outcome: "approved", reason: "Needed" });
    // B remembers the run from before the decision; the order job must run, not be dropped as stale.
    expect(await b.engine.runUntilIdle()).toBeGreaterThan(0);
    expect((await a.engine.getRun(runId))!.state).toMatchObject({ status: "completed", outcome: "ordered" });
  });

  it("a state remembered from before another process wrote the run is refused, then read again", async () => {
    const a = openEngine({ handlers: [inc] });
    const b = openSecondEngine(a, { handlers: [inc] });
    const purchase = charterOf(PURCHASE);
    await a.engine.deploy(purchase.charter, purchase.source);
    const { runId } = await a.engine.start("purchase-request", {
      input: { item: "pen", amount: 500 },
      as: "user:cat",
    });
    // B cancels the run; A still remembers it running and is refused, then reads the store.
    await b.engine.cancelRun(runId, { as: "user:ops", reason: "not needed" });
    const error = await a.engine.cancelRun(runId, { as: "user:ops", reason: "again" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCharterError(error) && error.code).toBe("CONFLICT");
    expect((await a.engine.getRun(runId))!.state.status).toBe("cancelled");
  });
});

describe("waitForRun", () => {
  it("resolves when this process ends the run, NOT_FOUND for an unknown run, and the signal's reason on abort", async () => {
    const t = openEngine({ handlers: [inc] });
    const [runId] = await startChains(t, 1);
    const waiting = t.engine.waitForRun(runId!);
    await t.engine.runUntilIdle();
    expect(await waiting).toMatchObject({ runId, status: "completed", outcome: "done" });
    const missing = await t.engine.waitForRun("run_none").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCharterError(missing) && missing.code).toBe("NOT_FOUND");
    const [parked] = await startChains(t, 1);
    const stop = new AbortController();
    const aborted = t.engine.waitForRun(parked!, { signal: stop.signal }).then(
      () => "resolved",
      (e: unknown) => e,
    );
    stop.abort(new Error("gave up"));
    expect(((await aborted) as Error).message).toBe("gave up");
  });

  it("sees a run ended by another process by looking again every poll interval", async () => {
    const a = openEngine({ handlers: [inc], pollIntervalMs: 5 });
    const b = openSecondEngine(a, { handlers: [inc] });
    const [runId] = await startChains(a, 1);
    const waiting = a.engine.waitForRun(runId!);
    await b.engine.runUntilIdle();
    expect(await waiting).toMatchObject({ runId, status: "completed" });
  });
});

function firstWrite(runId: string): BatchWrite {
  const at = "2025-03-03T09:00:00.000Z";
  return {
    kind: "create",
    state: {
      format: 1,
      runId,
      workflow: "w",
      version: "v",
      input: {},
      initiator: "user:cat",
      startedAt: at,
      flags: [],
      status: "running",
      steps: {},
      latest: { root: {} },
      scopes: { root: { id: "root", parent: null, status: "active" } },
      parallels: {},
      active: [],
      timers: {},
      seq: 1,
    },
    event: { type: "run.started", runId, input: {}, initiator: "user:cat" },
    commands: [],
    at,
  } as BatchWrite;
}
