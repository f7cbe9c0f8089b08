import { describe, expect, it } from "vitest";
import { dataHash } from "../audit.js";
import { charterFrom, MODEL_CALL, RunDriver, SECOND, T0 } from "../../../test/helpers/engine.js";

const AI = charterFrom(`
start: extract
steps:
  extract:
    kind: ai
    owner: team:ap
    model_task: extract-invoice
    input: "{ 'text': input.text }"
    accept: { when: "confidence >= 0.9 and output.total > 0" }
    review: review
    timeout: 2m
    retry: { max_attempts: 2, backoff: fixed, initial: 10s }
    on_error: { MODEL_REFUSED: review, default: exception }
    next: done
  review:
    kind: task
    owner: role:clerk
    assignee: role:clerk
    due: 1d
    expire: { after: 2d, goto: exception }
    next: done
  done: { kind: end, outcome: done }
model_tasks:
  extract-invoice:
    instructions: Extract the total.
    output: { type: object, properties: { total: { type: number } } }
`);

describe("ai steps", () => {
  it("an ai step runs its model task with the evaluated input and a timeout", async () => {
    const run = await RunDriver.start(AI, { input: { text: "Invoice 1" } });
    expect(run.lastOf("run-model-task")).toEqual([
      expect.objectContaining({
        modelTask: "extract-invoice",
        input: { text: "Invoice 1" },
        attempt: 1,
        timeoutMs: 120_000,
      }),
    ]);
  });

  it("an accepted proposal goes to next, audited with the AI as actor and the call recorded", async () => {
    const run = await RunDriver.start(AI, { input: { text: "Invoice 1" } });
    await run.propose("extract", { total: 100 }, 0.95);
    expect(run.instance("extract")).toMatchObject({
      status: "succeeded",
      output: { total: 100 },
      confidence: 0.95,
      decision: { outcome: "accepted", by: "rule:extract", rule: "accept.when" },
    });
    const [proposed] = run.audits("ai.proposed");
    expect(proposed).toMatchObject({
      actor: "ai:test-model",
      dataHash: dataHash({ total: 100 }),
      details: {
        provider: "offline",
        model: "test-model",
        instructionsHash: "abc123",
        inputTokens: 10,
        outputTokens: 5,
        latencyMs: 42,
        confidence: 0.95,
      },
    });
    const call = run.all("append-audit").find((c) => c.entry.action === "ai.proposed")!.call;
    expect(call).toEqual(MODEL_CALL);
    expect(run.audits("proposal.accepted")[0]!.actor).toBe("rule:extract");
    expect(run.state.outcome).toBe("done");
  });

  it("a proposal with low confidence goes to review, a person", async () => {
    const run = await RunDriver.start(AI, { input: { text: "Invoice 1" } });
    await run.propose("extract", { total: 100 }, 0.6);
    expect(run.instance("extract").decision?.outcome).toBe("review");
    expect(run.audits("proposal.sent-to-review")).toHaveLength(1);
    expect(run.instance("review").status).toBe("waiting");
    expect(run.lastOf("open-task")[0]).toMatchObject({ stepId: "review", assignees: ["role:clerk"] });
  });

  it("a proposal that fails the acceptance condition on its output goes to review", async () => {
    const run = await RunDriver.start(AI, { input: { text: "x" } });
    await run.propose("extract", { total: 0 }, 0.99);
    expect(run.instance("review").status).toBe("waiting");
  });

  it("a failed model call retries, then routes by on_error code", async () => {
    const run = await RunDriver.start(AI, { input: { text: "x" } });
    await run.fail("extract", "PROVIDER_DOWN");
    expect(run.lastOf("start-timer")[0]!.fireAt).toBe(new Date(T0.getTime() + 10 * SECOND).toISOString());
    await run.advance(10 * SECOND);
    expect(run.job("extract").attempt).toBe(2);
    await run.fail("extract", "MODEL_REFUSED", false);
    expect(run.instance("review").status).toBe("waiting");
  });

  it("a failed model call with its call recorded is audited with the AI as actor", async () => {
    const run = await RunDriver.start(AI, { input: { text: "x" } });
    const job = run.job("extract");
    await run.send({
      type: "model.failed",
      instance: job.instance,
      attempt: 1,
      error: { code: "OUTPUT_INVALID", message: "bad output", retryable: false },
      call: MODEL_CALL,
    });
    expect(run.audits("ai.failed")[0]).toMatchObject({
      actor: "ai:test-model",
      details: { code: "OUTPUT_INVALID" },
    });
    expect(run.instance("extract").status).toBe("exception");
  });

  it("a model task past its timeout fails with TIMEOUT and retries", async () => {
    const run = await RunDriver.start(AI, { input: { text: "x" } });
    await run.advance(120 * SECOND);
    expect(run.instance("extract")).toMatchObject({ status: "retrying", error: { code: "TIMEOUT" } });
  });
});
