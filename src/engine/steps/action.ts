/**
 * `action`: runs a registered handler. Each attempt is a job with the same idempotency key (the
 * evaluated `idempotency` expression, else `runId:instance`) and a timeout timer; a failure retries
 * per `retry`, then routes by `on_error`.
 */
import type { StepOf } from "../../definition/schema.js";
import { audit } from "../audit.js";
import type { Draft } from "../draft.js";
import { emit } from "../draft.js";
import type { EventOf } from "../events.js";
import type { Evaluated } from "../expressions.js";
import { evaluate, failed } from "../expressions.js";
import { failAttempt, routeError } from "../failure.js";
import { defaultIdempotencyKey, jobId } from "../ids.js";
import { endInstance } from "../instances.js";
import type { Handled } from "../result.js";
import { APPLIED, IGNORED } from "../result.js";
import { advance } from "../routing.js";
import type { StepInstance, TimerPurpose } from "../state.js";
import { cancelTimers } from "../timers.js";
import { currentJob, jobInput, startJobTimeout, timeoutError } from "./jobs.js";

export async function enterAction(
  draft: Draft,
  instance: StepInstance,
  step: StepOf<"action">,
): Promise<void> {
  instance.status = "running";
  const input = await jobInput(draft, instance, step.input);
  if (!input.ok) return routeError(draft, instance, input.error);
  const key = await idempotencyKey(draft, instance, step);
  if (!key.ok) return routeError(draft, instance, key.error);
  instance.idempotencyKey = key.value as string;
  const timeoutMs = startJobTimeout(draft, instance, step.timeout);
  emit(draft, "run-handler", {
    jobId: jobId(draft.state.runId, instance.key, instance.attempt),
    instance: instance.key,
    stepId: instance.stepId,
    handler: step.handler,
    input: input.value,
    attempt: instance.attempt,
    idempotencyKey: instance.idempotencyKey,
    timeoutMs,
  });
}

/** Evaluated once per instance, so every retry (and an operator's retry) sends the same key. */
async function idempotencyKey(
  draft: Draft,
  instance: StepInstance,
  step: StepOf<"action">,
): Promise<Evaluated> {
  if (instance.idempotencyKey !== undefined) return { ok: true, value: instance.idempotencyKey };
  if (step.idempotency === undefined)
    return { ok: true, value: defaultIdempotencyKey(draft.state.runId, instance.key) };
  const key = await evaluate(draft, step.idempotency, instance.scope);
  if (!key.ok) return key;
  if (key.value === undefined || key.value === null || typeof key.value === "object")
    return failed("IDEMPOTENCY_KEY_INVALID", "the idempotency expression gave no text or number");
  return { ok: true, value: String(key.value) };
}

export async function onHandlerSucceeded(
  draft: Draft,
  event: EventOf<"handler.succeeded">,
): Promise<Handled> {
  const instance = currentJob(draft, event.instance, event.attempt, "action");
  if (!instance) return IGNORED;
  cancelTimers(draft, instance);
  instance.output = event.output;
  endInstance(draft, instance, "succeeded");
  audit(draft, { actor: "system", action: "step.succeeded", data: event.output }, instance);
  await advance(draft, instance);
  return APPLIED;
}

export async function onHandlerFailed(draft: Draft, event: EventOf<"handler.failed">): Promise<Handled> {
  const instance = currentJob(draft, event.instance, event.attempt, "action");
  if (!instance) return IGNORED;
  await failAttempt(draft, instance, event.error);
  return APPLIED;
}

export async function onActionTimer(
  draft: Draft,
  instance: StepInstance,
  purpose: TimerPurpose,
): Promise<void> {
  if (purpose === "timeout" && instance.status === "running")
    await failAttempt(draft, instance, timeoutError());
}
