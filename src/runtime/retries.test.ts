/** Failures through the runtime: retries as timers on the clock, timeouts that abort, on_error routes. */
import { afterEach, describe, expect, it } from "vitest";
import { charterOf, closeAll, deferred, openEngine, SECOND } from "../../test/helpers/runtime.js";
import type { ActionContext } from "./engine.js";
import { defineAction } from "./handlers.js";
import { NonRetryableError, RetryAfterError } from "./handler-errors.js";

afterEach(closeAll);

/** One action `work.do` with a retry policy and error routes, then done; `failed` and `slow` end it otherwise. */
const FLAKY = charterOf(`
charter: 1
workflow: flaky
title: Flaky work
owner: team:operations
triggers: [{ manual: {} }]
input: { schema: { type: object }, on_invalid: reject }
success: { outcomes: [done] }
start: work
steps:
  work:
    kind: action
    owner: team:operations
    handler: work.do
    timeout: 10s
    retry: { max_attempts: 4, backoff: exponential, initial: 1s, max_delay: 3s }
    on_error:
      CARD_DECLINED: declined
      TIMEOUT: too-slow
      default: exception
    next: done
  done: { kind: end, outcome: done }
  declined: { kind: end, outcome: declined, success: false }
  too-slow: { kind: end, outcome: too-slow, success: false }
`);

async function startFlaky(run: (input: unknown, context: ActionContext) => Promise<unknown>) {
  const t = openEngine({ handlers: [defineAction({ name: "work.do", run })] });
  await t.engine.deploy(FLAKY.charter, FLAKY.source);
  const { runId } = await t.engine.start("flaky", { input: {}, as: "user:cat" });
  const state = async () => (await t.engine.getRun(runId))!.state;
  return { ...t, runId, state };
}

describe("retries", () => {
  it("a failing handler is retried after 1s, then 2s, then 3s (capped), at those clock times", async () => {
    const calls: { at: string; attempt: number; key: string }[] = [];
    const t = await startFlaky(async (_input, context) => {
      calls.push({ at: t.clock.now().toISOString(), attempt: context.attempt, key: context.idempotencyKey });
      if (context.attempt < 4) throw new Error("gateway down");
      return { ok: true };
    });
    await t.engine.runUntilIdle();
    expect(calls).toHaveLength(1);
    t.clock.advance(999);
    expect(await t.engine.runUntilIdle()).toBe(0);
    t.clock.advance(1);
    await t.engine.runUntilIdle();
    expect(calls).toHaveLength(2);
    t.clock.advance(2 * SECOND - 1);
    await t.engine.runUntilIdle();
    expect(calls).toHaveLength(2);
    t.clock.advance(1);
    await t.engine.runUntilIdle();
    t.clock.advance(3 * SECOND);
    await t.engine.runUntilIdle();
    expect(calls.map((c) => [c.at, c.attempt])).toEqual([
      ["2025-03-03T09:00:00.000Z", 1],
      ["2025-03-03T09:00:01.000Z", 2],
      ["2025-03-03T09:00:03.000Z", 3],
      ["2025-03-03T09:00:06.000Z", 4],
    ]);
    // Every attempt gets the same idempotency key.
    expect(new Set(calls.map((c) => c.key)).size).toBe(1);
    expect(await t.state()).toMatchObject({ status: "completed", outcome: "done" });
    const failures = t.state().then((s) => s.steps["root/work#1"]);
    expect((await failures)?.attempt).toBe(4);
  });

  it("an error with a string code keeps it (HANDLER_FAILED otherwise), and routes by it once retries are spent", async () => {
    const t = await startFlaky(async () => {
      throw Object.assign(new Error("declined"), { code: "CARD_DECLINED" });
    });
    await t.engine.runUntilIdle();
    for (const ms of [1, 2, 3].map((s) => s * SECOND)) {
      t.clock.advance(ms);
      await t.engine.runUntilIdle();
    }
    const state = await t.state();
    expect(state).toMatchObject({ status: "completed", outcome: "declined" });
    expect(state.steps["root/work#1"]).toMatchObject({
      attempt: 4,
      error: { code: "CARD_DECLINED", retryable: true },
    });
  });

  it("NonRetryableError is routed at once by its code", async () => {
    const t = await startFlaky(async () => {
      throw new NonRetryableError("card declined", { code: "CARD_DECLINED", details: { last4: "4242" } });
    });
    await t.engine.runUntilIdle();
    const state = await t.state();
    expect(state).toMatchObject({ status: "completed", outcome: "declined" });
    expect(state.steps["root/work#1"]?.error).toMatchObject({ retryable: false, details: { last4: "4242" } });
  });

  it("RetryAfterError waits its own delay instead of the backoff", async () => {
    const attempts: string[] = [];
    const t = await startFlaky(async (_input, { attempt }) => {
      attempts.push(t.clock.now().toISOString());
      if (attempt === 1) throw new RetryAfterError("rate limited", "5s");
      return {};
    });
    await t.engine.runUntilIdle();
    t.clock.advance(4 * SECOND);
    expect(await t.engine.runUntilIdle()).toBe(0);
    t.clock.advance(SECOND);
    await t.engine.runUntilIdle();
    expect(attempts).toEqual(["2025-03-03T09:00:00.000Z", "2025-03-03T09:00:05.000Z"]);
    expect((await t.state()).status).toBe("completed");
  });

  it("an error with no retries left and no route goes to the exception queue", async () => {
    const t = await startFlaky(async () => {
      throw new NonRetryableError("no such account");
    });
    await t.engine.runUntilIdle();
    const { items } = await t.engine.listExceptions();
    expect(items).toEqual([
      expect.objectContaining({
        runId: t.runId,
        stepId: "work",
        error: { code: "NON_RETRYABLE", message: "no such account" },
      }),
    ]);
  });
});

describe("timeouts", () => {
  it("a handler past its timeout has its signal aborted, fails with TIMEOUT, and is retried", async () => {
    const started = deferred<AbortSignal>();
    let calls = 0;
    const t = await startFlaky(async (_input, { signal, attempt }) => {
      calls++;
      if (attempt > 1) return { late: false };
      started.resolve(signal);
      // Waits for its signal, as a handler calling a slow service with fetch(url, { signal }) would.
      await new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
      return { late: true };
    });
    const idle = t.engine.runUntilIdle();
    const signal = await started.promise;
    expect(signal.aborted).toBe(false);
    t.clock.advance(10 * SECOND - 1);
    expect(signal.aborted).toBe(false);
    t.clock.advance(1);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe("TimeoutError");
    await idle;
    const first = (await t.state()).steps["root/work#1"];
    expect(first).toMatchObject({ status: "retrying", error: { code: "TIMEOUT", retryable: true } });
    t.clock.advance(SECOND);
    await t.engine.runUntilIdle();
    expect(calls).toBe(2);
    expect(await t.state()).toMatchObject({ status: "completed", outcome: "done" });
  });

  it("a handler that ignores its signal is not waited for past the timeout", async () => {
    const started = deferred();
    const t = await startFlaky(async () => {
      started.resolve();
      return new Promise(() => {}); // never settles
    });
    const idle = t.engine.runUntilIdle();
    await started.promise;
    t.clock.advance(10 * SECOND);
    await idle;
    expect((await t.state()).steps["root/work#1"]?.error?.code).toBe("TIMEOUT");
    expect(t.clock.pending()).toBe(0);
  });
});
