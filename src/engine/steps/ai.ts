/**
 * `ai`: runs a model task. Its output is a proposal: `accept.when` (reading `output` and
 * `confidence`) accepts it and the run goes to `next`; otherwise it goes to `review`, a person. The
 * call is audited with the AI as actor, and the acceptance with the rule as actor. Failures retry
 * and route like an action's.
 */
import type { StepOf } from "../../definition/schema.js";
import { audit } from "../audit.js";
import type { Draft } from "../draft.js";
import { emit } from "../draft.js";
import type { EventOf, ModelCall } from "../events.js";
import { evaluate, isTrue } from "../expressions.js";
import { failAttempt, routeError } from "../failure.js";
import { jobId } from "../ids.js";
import { endInstance, stepOf } from "../instances.js";
import type { Handled } from "../result.js";
import { APPLIED, IGNORED } from "../result.js";
import { advance, goTo } from "../routing.js";
import type { StepInstance, TimerPurpose } from "../state.js";
import { cancelTimers } from "../timers.js";
import { currentJob, jobInput, startJobTimeout, timeoutError } from "./jobs.js";

export async function enterAi(draft: Draft, instance: StepInstance, step: StepOf<"ai">): Promise<void> {
  instance.status = "running";
  const input = await jobInput(draft, instance, step.input);
  if (!input.ok) return routeError(draft, instance, input.error);
  const timeoutMs = startJobTimeout(draft, instance, step.timeout);
  emit(draft, "run-model-task", {
    jobId: jobId(draft.state.runId, instance.key, instance.attempt),
    instance: instance.key,
    stepId: instance.stepId,
    modelTask: step.model_task,
    input: input.value,
    attempt: instance.attempt,
    timeoutMs,
  });
}

export async function onModelSucceeded(draft: Draft, event: EventOf<"model.succeeded">): Promise<Handled> {
  const instance = currentJob(draft, event.instance, event.attempt, "ai");
  if (!instance) return IGNORED;
  const step = stepOf(draft, instance) as StepOf<"ai">;
  cancelTimers(draft, instance);
  instance.output = event.output;
  instance.confidence = event.confidence;
  auditCall(draft, instance, "ai.proposed", event.call, { confidence: event.confidence }, event.output);
  const accepted = await isAccepted(draft, instance, step, event);
  instance.decision = {
    outcome: accepted.ok ? "accepted" : "review",
    by: `rule:${instance.stepId}`,
    at: draft.at,
    rule: "accept.when",
  };
  endInstance(draft, instance, "succeeded");
  audit(
    draft,
    {
      actor: `rule:${instance.stepId}`,
      action: accepted.ok ? "proposal.accepted" : "proposal.sent-to-review",
      data: { output: event.output, confidence: event.confidence },
      details: { when: step.accept?.when, ...(accepted.error ? { error: accepted.error } : {}) },
    },
    instance,
  );
  if (accepted.ok) await advance(draft, instance);
  else await goTo(draft, instance, step.review ?? "exception");
  return APPLIED;
}

/** Whether `accept.when` holds. An acceptance that cannot be evaluated sends the proposal to review. */
async function isAccepted(
  draft: Draft,
  instance: StepInstance,
  step: StepOf<"ai">,
  event: EventOf<"model.succeeded">,
): Promise<{ ok: boolean; error?: string }> {
  if (step.accept === undefined) return { ok: false };
  const result = await evaluate(draft, step.accept.when, instance.scope, {
    output: event.output,
    confidence: event.confidence,
  });
  return result.ok ? { ok: isTrue(result.value) } : { ok: false, error: result.error.code };
}

export async function onModelFailed(draft: Draft, event: EventOf<"model.failed">): Promise<Handled> {
  const instance = currentJob(draft, event.instance, event.attempt, "ai");
  if (!instance) return IGNORED;
  if (event.call) auditCall(draft, instance, "ai.failed", event.call, { code: event.error.code });
  await failAttempt(draft, instance, event.error);
  return APPLIED;
}

export async function onAiTimer(draft: Draft, instance: StepInstance, purpose: TimerPurpose): Promise<void> {
  if (purpose === "timeout" && instance.status === "running")
    await failAttempt(draft, instance, timeoutError());
}

/** Every model call is recorded: provider, model, instructions hash, tokens, latency. */
function auditCall(
  draft: Draft,
  instance: StepInstance,
  action: string,
  call: ModelCall,
  details: Record<string, unknown>,
  data?: unknown,
): void {
  audit(
    draft,
    {
      actor: `ai:${call.model}`,
      action,
      ...(data === undefined ? {} : { data }),
      details: {
        provider: call.provider,
        model: call.model,
        instructionsHash: call.instructionsHash,
        inputTokens: call.inputTokens,
        outputTokens: call.outputTokens,
        latencyMs: call.latencyMs,
        attempt: instance.attempt,
        ...details,
      },
      call,
    },
    instance,
  );
}
