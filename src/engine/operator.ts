/**
 * What operators do: retry an instance in the exception queue (a new attempt of the same instance),
 * skip it (the run goes on at another step), or cancel the whole run. Each needs a reason, and each
 * is audited with the operator as actor.
 */
import { audit } from "./audit.js";
import { cancelInstance } from "./cancel.js";
import type { Draft } from "./draft.js";
import { emit } from "./draft.js";
import type { EventOf } from "./events.js";
import { activeInstances, endInstance, stepOf, ownInstance } from "./instances.js";
import type { Handled, Refusal } from "./result.js";
import { APPLIED, refused } from "./result.js";
import { goTo } from "./routing.js";
import type { StepInstance } from "./state.js";
import { enterKind } from "./steps/dispatch.js";

function inException(draft: Draft, key: string): StepInstance | Refusal {
  const instance = ownInstance(draft, key);
  if (!instance) return { code: "NOT_FOUND", message: `no step instance "${key}" in this run` };
  if (instance.status !== "exception")
    return { code: "CONFLICT", message: `"${key}" is not in the exception queue (${instance.status})` };
  return instance;
}

function missingReason(reason: string): Refusal | undefined {
  return reason.trim() === "" ? { code: "CONFLICT", message: "a reason is required" } : undefined;
}

export async function onExceptionRetried(
  draft: Draft,
  event: EventOf<"exception.retried">,
): Promise<Handled> {
  const instance = inException(draft, event.instance);
  if ("code" in instance) return refused(instance);
  const noReason = missingReason(event.reason);
  if (noReason) return refused(noReason);
  emit(draft, "resolve-exception", { instance: instance.key });
  audit(
    draft,
    {
      actor: event.by,
      action: "exception.retried",
      reason: event.reason,
      details: { attempt: instance.attempt + 1 },
    },
    instance,
  );
  instance.attempt += 1;
  instance.status = "running";
  await enterKind(draft, instance, stepOf(draft, instance));
  return APPLIED;
}

export async function onExceptionSkipped(
  draft: Draft,
  event: EventOf<"exception.skipped">,
): Promise<Handled> {
  const instance = inException(draft, event.instance);
  if ("code" in instance) return refused(instance);
  const noReason = missingReason(event.reason);
  if (noReason) return refused(noReason);
  if (draft.charter.steps[event.to] === undefined)
    return refused({ code: "NOT_FOUND", message: `no step "${event.to}" to skip to` });
  emit(draft, "resolve-exception", { instance: instance.key });
  audit(
    draft,
    { actor: event.by, action: "exception.skipped", reason: event.reason, details: { to: event.to } },
    instance,
  );
  endInstance(draft, instance, instance.error ? "failed" : "succeeded");
  await goTo(draft, instance, event.to);
  return APPLIED;
}

export async function onRunCancelled(draft: Draft, event: EventOf<"run.cancelled">): Promise<Handled> {
  const noReason = missingReason(event.reason);
  if (noReason) return refused(noReason);
  const { state } = draft;
  for (const instance of activeInstances(draft))
    if (state.active.includes(instance.key)) cancelInstance(draft, instance, "the run was cancelled");
  Object.assign(state, { status: "cancelled", endedAt: draft.at, success: false });
  audit(draft, { actor: event.by, action: "run.cancelled", reason: event.reason });
  if (state.parent)
    emit(draft, "notify-parent", {
      parentRunId: state.parent.runId,
      instance: state.parent.instance,
      outcome: "cancelled",
      success: false,
    });
  return APPLIED;
}
