/**
 * Failures: a failed attempt retries (a timer) while the step's `retry` allows and the error is
 * retryable; then the error is routed by `on_error[code]`, else `on_error.default`, else by the
 * enclosing parallels' `on_error`, else to the exception queue, where the instance waits for an
 * operator (exception.retried / exception.skipped).
 */
import { EXCEPTION_TARGET } from "../definition/schema.js";
import type { Step } from "../definition/schema.js";
import { audit } from "./audit.js";
import type { Draft } from "./draft.js";
import { after, emit } from "./draft.js";
import { endInstance, stepOf } from "./instances.js";
import { nextAttemptDelayMs, shouldRetry } from "./retry.js";
import { goTo } from "./routing.js";
import { parallelOf } from "./scopes.js";
import type { StepError, StepInstance } from "./state.js";
import { cancelTimers, startTimer } from "./timers.js";

/** A failed attempt of an action or ai step: retry, or route the error. */
export async function failAttempt(draft: Draft, instance: StepInstance, error: StepError): Promise<void> {
  cancelTimers(draft, instance);
  instance.error = error;
  const step = stepOf(draft, instance);
  const policy = step.kind === "action" || step.kind === "ai" ? step.retry : undefined;
  if (!policy || !shouldRetry(policy, instance.attempt, error)) return routeError(draft, instance, error);
  instance.status = "retrying";
  const fireAt = after(draft, nextAttemptDelayMs(policy, instance.attempt, error));
  startTimer(draft, instance, "retry", fireAt);
  audit(
    draft,
    {
      actor: "system",
      action: "step.retry-scheduled",
      details: { code: error.code, attempt: instance.attempt, fireAt },
    },
    instance,
  );
}

/** Routes an error that will not be retried. */
export async function routeError(draft: Draft, instance: StepInstance, error: StepError): Promise<void> {
  cancelTimers(draft, instance);
  instance.error = error;
  const target = errorRoute(draft, instance, error.code);
  if (target === undefined || target === EXCEPTION_TARGET) return raiseException(draft, instance, error);
  audit(
    draft,
    {
      actor: "system",
      action: "step.failed",
      details: { code: error.code, message: error.message, to: target },
    },
    instance,
  );
  endInstance(draft, instance, "failed");
  return goTo(draft, instance, target, error);
}

/** The instance waits in the exception queue, with its error, until an operator acts. */
export function raiseException(draft: Draft, instance: StepInstance, error: StepError): void {
  cancelTimers(draft, instance);
  instance.status = "exception";
  instance.error = error;
  delete instance.endedAt;
  if (!draft.state.active.includes(instance.key)) draft.state.active.push(instance.key);
  emit(draft, "raise-exception", {
    instance: instance.key,
    stepId: instance.stepId,
    error: { code: error.code, message: error.message },
  });
  audit(
    draft,
    { actor: "system", action: "exception.raised", details: { code: error.code, message: error.message } },
    instance,
  );
}

/** The step's own on_error route for `code`, else that of the nearest enclosing parallel with one. */
function errorRoute(draft: Draft, instance: StepInstance, code: string): string | undefined {
  const own = onErrorRoute(stepOf(draft, instance), code);
  if (own !== undefined) return own;
  for (let p = parallelOf(draft, instance.scope); p; p = parallelOf(draft, p.scope)) {
    const route = onErrorRoute(stepOf(draft, p), code);
    if (route !== undefined) return route;
  }
  return undefined;
}

function onErrorRoute(step: Step, code: string): string | undefined {
  const onError = "on_error" in step ? step.on_error : undefined;
  return onError?.[code] ?? onError?.default;
}
