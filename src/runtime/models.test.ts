/** Model jobs: the provider's answer is checked against the model task's schema, and every call recorded. */
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { charterOf, closeAll, deferred, MINUTE, openEngine, SECOND } from "../../test/helpers/runtime.js";
import { createOfflineProvider } from "../ai/offline-provider.js";
import type { ModelProvider, ModelRequest } from "./engine.js";
import { NonRetryableError } from "./handler-errors.js";

afterEach(closeAll);

/** An ai step (accepted at confidence 0.8, else a person reviews), a rule on its output, an end. */
const TRIAGE = charterOf(`
charter: 1
workflow: triage
title: Ticket triage
owner: team:support
triggers: [{ manual: {} }]
input:
  schema: { type: object, required: [text], properties: { text: { type: string } } }
  on_invalid: reject
success: { outcomes: [routed] }
roles:
  agent: { description: Support agents, members: [user:sam] }
start: classify
steps:
  classify:
    kind: ai
    owner: team:support
    model_task: classify-ticket
    input: '{ "text": input.text }'
    accept: { when: "confidence >= 0.8" }
    review: review
    timeout: 1m
    retry: { max_attempts: 2, backoff: fixed, initial: 1s }
    on_error: { default: review }
    next: route
  route:
    kind: decision
    owner: team:support
    rules:
      - name: billing
        when: "steps.classify.output.category = 'billing'"
        goto: routed
    default: review
  review:
    kind: task
    owner: role:agent
    assignee: role:agent
    shows: [input]
    form: { type: object, required: [category], properties: { category: { type: string } } }
    due: 1d
    expire: { after: 2d, goto: exception }
    next: routed
  routed: { kind: end, outcome: routed }
model_tasks:
  classify-ticket:
    instructions: Classify the ticket.
    output:
      type: object
      required: [category]
      additionalProperties: false
      properties: { category: { type: string, enum: [billing, technical] } }
`);

function provider(
  complete: (request: ModelRequest) => Promise<{ output: unknown; confidence: number }>,
): ModelProvider {
  return {
    name: "fake",
    complete: async (request) => ({
      ...(await complete(request)),
      model: "fake-1",
      inputTokens: 12,
      outputTokens: 3,
    }),
  };
}

async function startTriage(models: ModelProvider) {
  const t = openEngine({ models });
  await t.engine.deploy(TRIAGE.charter, TRIAGE.source);
  const { runId } = await t.engine.start("triage", {
    input: { text: "I was charged twice" },
    as: "user:kim",
  });
  const state = async () => (await t.engine.getRun(runId))!.state;
  return { ...t, runId, state };
}

describe("model jobs", () => {
  it("the offline provider's proposal satisfies the schema, is accepted by the rule, and the call is audited", async () => {
    const t = await startTriage(createOfflineProvider({ confidence: 0.9 }));
    await t.engine.runUntilIdle();
    expect(await t.state()).toMatchObject({ status: "completed", outcome: "routed" });
    const [proposed] = (await t.store.auditTrail(t.runId)).filter((r) => r.action === "ai.proposed");
    expect(proposed).toMatchObject({ actor: "ai:offline", step: "classify", details: { confidence: 0.9 } });
    expect(proposed!.call).toMatchObject({ provider: "offline", model: "offline", latencyMs: 0 });
    expect(proposed!.call!.inputTokens).toBeGreaterThan(0);
  });

  it("records latency on the engine's clock, the instructions' hash and the provider's tokens", async () => {
    const ref: { clock?: { advance(ms: number): unknown } } = {};
    const t = await startTriage(
      provider(async (request) => {
        expect(request).toMatchObject({ modelTask: "classify-ticket", instructions: "Classify the ticket." });
        expect(request.input).toEqual({ text: "I was charged twice" });
        ref.clock!.advance(250);
        return { output: { category: "billing" }, confidence: 0.97 };
      }),
    );
    ref.clock = t.clock;
    await t.engine.runUntilIdle();
    const [proposed] = (await t.store.auditTrail(t.runId)).filter((r) => r.action === "ai.proposed");
    expect(proposed!.call).toEqual({
      provider: "fake",
      model: "fake-1",
      instructionsHash: createHash("sha256").update("Classify the ticket.").digest("hex"),
      inputTokens: 12,
      outputTokens: 3,
      latencyMs: 250,
    });
  });

  it("an output that fails the schema is OUTPUT_INVALID and retried; the next answer is accepted", async () => {
    const answers = [{ category: "other" }, { category: "technical" }];
    const t = await startTriage(provider(async () => ({ output: answers.shift(), confidence: 0.95 })));
    await t.engine.runUntilIdle();
    const first = (await t.state()).steps["root/classify#1"]!;
    expect(first).toMatchObject({ status: "retrying", error: { code: "OUTPUT_INVALID", retryable: true } });
    t.clock.advance(SECOND);
    await t.engine.runUntilIdle();
    // "technical" is accepted, and the rule sends it to a person (only billing is routed automatically).
    expect((await t.state()).steps["root/classify#1"]).toMatchObject({ status: "succeeded", attempt: 2 });
    expect((await t.engine.listTasks({ as: "user:sam" })).items).toHaveLength(1);
    const failed = (await t.store.auditTrail(t.runId)).find((r) => r.action === "ai.failed");
    expect(failed?.call?.model).toBe("fake-1");
  });

  it("a low confidence sends the proposal to review", async () => {
    const t = await startTriage(createOfflineProvider({ confidence: 0.3 }));
    await t.engine.runUntilIdle();
    const classify = (await t.state()).steps["root/classify#1"]!;
    expect(classify.decision).toMatchObject({ outcome: "review", by: "rule:classify" });
    expect((await t.engine.listTasks({ as: "user:sam" })).items[0]?.command.stepId).toBe("review");
  });

  it("a provider's NonRetryableError goes to on_error at once", async () => {
    const t = await startTriage(
      provider(async () => {
        throw new NonRetryableError("content policy", { code: "CONTENT_FILTERED" });
      }),
    );
    await t.engine.runUntilIdle();
    expect((await t.state()).steps["root/classify#1"]).toMatchObject({
      status: "failed",
      error: { code: "CONTENT_FILTERED", retryable: false },
    });
  });

  it("a model call past the step's timeout is aborted and fails with TIMEOUT", async () => {
    const called = deferred<AbortSignal>();
    const t = await startTriage(
      provider(
        (request) =>
          new Promise((_resolve, reject) => {
            called.resolve(request.signal);
            request.signal.addEventListener("abort", () => reject(request.signal.reason));
          }),
      ),
    );
    const idle = t.engine.runUntilIdle();
    const signal = await called.promise;
    t.clock.advance(MINUTE);
    await idle;
    expect(signal.aborted).toBe(true);
    expect((await t.state()).steps["root/classify#1"]).toMatchObject({
      status: "retrying",
      error: { code: "TIMEOUT" },
    });
  });
});
