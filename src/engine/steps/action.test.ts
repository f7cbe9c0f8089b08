import { describe, expect, it } from "vitest";
import { charterFrom, MINUTE, RunDriver, SECOND, T0 } from "../../../test/helpers/engine.js";

const ACTION = charterFrom(`
start: charge
steps:
  charge:
    kind: action
    owner: team:billing
    handler: billing.charge
    input: "{ 'amount': input.amount }"
    timeout: 30s
    retry: { max_attempts: 4, backoff: exponential, initial: 1s, max_delay: 3s }
    on_error:
      CARD_DECLINED: declined
      NOT_NOW: exception
      default: failed
    next: done
  declined: { kind: end, outcome: declined }
  failed: { kind: end, outcome: failed }
  done: { kind: end, outcome: done }
`);

const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();

describe("action steps", () => {
  it("an action runs its handler with the evaluated input, a timeout and the default idempotency key", async () => {
    const run = await RunDriver.start(ACTION, { input: { amount: 12 } });
    const [job] = run.lastOf("run-handler");
    expect(job).toMatchObject({
      handler: "billing.charge",
      stepId: "charge",
      input: { amount: 12 },
      attempt: 1,
      timeoutMs: 30_000,
      idempotencyKey: "run-1:root/charge#1",
    });
    expect(run.lastOf("start-timer")).toEqual([
      expect.objectContaining({ instance: "root/charge#1", fireAt: at(30 * SECOND) }),
    ]);
    expect(run.instance("charge").status).toBe("running");
  });

  it("a succeeded action records its output, cancels its timeout and goes to next", async () => {
    const run = await RunDriver.start(ACTION, { input: { amount: 12 } });
    const timer = run.lastOf("start-timer")[0]!.timerId;
    await run.succeed("charge", { receipt: "r-1" });
    expect(run.instance("charge")).toMatchObject({ status: "succeeded", output: { receipt: "r-1" } });
    expect(run.lastOf("cancel-timer")).toEqual([{ type: "cancel-timer", timerId: timer }]);
    expect(run.state).toMatchObject({ status: "completed", outcome: "done", success: true });
  });

  it("a retryable failure retries with exponential backoff capped by max_delay, with the same idempotency key", async () => {
    const run = await RunDriver.start(ACTION, { input: { amount: 12 } });
    const fireTimes: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await run.fail("charge", "GATEWAY_DOWN");
      expect(run.instance("charge").status).toBe("retrying");
      const retry = run.lastOf("start-timer")[0]!;
      fireTimes.push(retry.fireAt);
      run.now = new Date(retry.fireAt);
      await run.fireDueTimers();
      expect(run.lastOf("run-handler")[0]).toMatchObject({
        attempt: attempt + 1,
        idempotencyKey: "run-1:root/charge#1",
      });
    }
    // 1s, then 2s, then 4s capped to 3s, each after the failure at the time it happened.
    expect(fireTimes).toEqual([at(1 * SECOND), at(3 * SECOND), at(6 * SECOND)]);
    await run.fail("charge", "GATEWAY_DOWN");
    // Attempts are used up: the error is routed by on_error.default.
    expect(run.instance("charge")).toMatchObject({
      status: "failed",
      attempt: 4,
      error: { code: "GATEWAY_DOWN" },
    });
    expect(run.state.outcome).toBe("failed");
  });

  it("fixed backoff waits the initial delay every time", async () => {
    const charter = charterFrom(`
start: a
steps:
  a:
    kind: action
    owner: team:ops
    handler: h
    timeout: 10s
    retry: { max_attempts: 3, backoff: fixed, initial: 10s }
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter);
    await run.fail("a", "BUSY");
    expect(run.lastOf("start-timer")[0]!.fireAt).toBe(at(10 * SECOND));
    await run.advance(10 * SECOND);
    run.now = new Date(run.now.getTime() + 5 * SECOND);
    await run.fail("a", "BUSY");
    expect(run.lastOf("start-timer")[0]!.fireAt).toBe(at(25 * SECOND));
  });

  it("a handler's retryAfterMs replaces the backoff", async () => {
    const run = await RunDriver.start(ACTION, { input: { amount: 1 } });
    await run.fail("charge", "RATE_LIMITED", true, { retryAfterMs: 90 * SECOND });
    expect(run.lastOf("start-timer")[0]!.fireAt).toBe(at(90 * SECOND));
  });

  it("a non-retryable error is routed by its code at once", async () => {
    const run = await RunDriver.start(ACTION, { input: { amount: 1 } });
    await run.fail("charge", "CARD_DECLINED", false);
    expect(run.instance("charge")).toMatchObject({ status: "failed", attempt: 1 });
    expect(run.state.outcome).toBe("declined");
    expect(run.audits("step.failed")[0]!.details).toMatchObject({ code: "CARD_DECLINED", to: "declined" });
  });

  it("an error routed to `exception` puts the instance in the exception queue", async () => {
    const run = await RunDriver.start(ACTION, { input: { amount: 1 } });
    await run.fail("charge", "NOT_NOW", false);
    expect(run.instance("charge").status).toBe("exception");
    expect(run.lastOf("raise-exception")).toEqual([
      {
        type: "raise-exception",
        instance: "root/charge#1",
        stepId: "charge",
        error: { code: "NOT_NOW", message: "NOT_NOW happened" },
      },
    ]);
    expect(run.state.status).toBe("running");
    expect(run.state.active).toEqual(["root/charge#1"]);
  });

  it("an error with no route and no default goes to the exception queue", async () => {
    const charter = charterFrom(`
start: a
steps:
  a: { kind: action, owner: team:ops, handler: h, timeout: 5s, on_error: { OTHER: done }, next: done }
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter);
    await run.fail("a", "BOOM", false);
    expect(run.instance("a")).toMatchObject({ status: "exception", error: { code: "BOOM" } });
  });

  it("the timeout timer fails a hung job with TIMEOUT, which retries; its late result is ignored", async () => {
    const run = await RunDriver.start(ACTION, { input: { amount: 1 } });
    const first = run.job("charge");
    await run.advance(30 * SECOND);
    expect(run.instance("charge")).toMatchObject({ status: "retrying", error: { code: "TIMEOUT" } });
    const before = run.state;
    const late = await run.send({
      type: "handler.succeeded",
      instance: first.instance,
      attempt: 1,
      output: {},
    });
    expect(late.commands).toEqual([]);
    expect(late.state).toBe(before);
    await run.advance(1 * SECOND);
    expect(run.job("charge").attempt).toBe(2);
    const stale = await run.send({
      type: "handler.failed",
      instance: first.instance,
      attempt: 1,
      error: { code: "X", message: "x", retryable: false },
    });
    expect(stale.commands).toEqual([]);
    await run.succeed("charge");
    expect(run.state.outcome).toBe("done");
  });

  it("a timeout routes by on_error.TIMEOUT once attempts are used up", async () => {
    const charter = charterFrom(`
start: a
steps:
  a: { kind: action, owner: team:ops, handler: h, timeout: 1m, on_error: { TIMEOUT: slow, default: exception }, next: done }
  slow: { kind: end, outcome: slow }
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter);
    await run.advance(1 * MINUTE);
    expect(run.state.outcome).toBe("slow");
  });

  it("the idempotency expression gives the key, the same for every attempt", async () => {
    const charter = charterFrom(`
start: pay
steps:
  pay:
    kind: action
    owner: team:ops
    handler: bank.pay
    irreversible: true
    idempotency: "input.vendor & '-' & input.number"
    timeout: 1m
    retry: { max_attempts: 2, initial: 5s }
    on_error: { default: exception }
    next: done
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter, { input: { vendor: "V1", number: 42 } });
    expect(run.job("pay")).toMatchObject({ idempotencyKey: "V1-42", input: { vendor: "V1", number: 42 } });
    await run.fail("pay", "FLAKY");
    await run.advance(5 * SECOND);
    expect(run.job("pay")).toMatchObject({ attempt: 2, idempotencyKey: "V1-42" });
    expect(run.job("pay").jobId).not.toBe(run.all("run-handler")[0]!.jobId);
  });

  it("an input expression that fails routes EXPRESSION_FAILED like any error", async () => {
    const charter = charterFrom(`
start: a
steps:
  a: { kind: action, owner: team:ops, handler: h, input: "$number('x')", timeout: 5s, on_error: { EXPRESSION_FAILED: bad, default: exception }, next: done }
  bad: { kind: end, outcome: bad }
  done: { kind: end, outcome: done }
`);
    const run = await RunDriver.start(charter);
    expect(run.state.outcome).toBe("bad");
    expect(run.instance("a").error).toMatchObject({ code: "EXPRESSION_FAILED", retryable: false });
  });
});
