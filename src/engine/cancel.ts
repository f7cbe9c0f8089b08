/**
 * Cancelling what a step instance holds open: its timers, its task, its event subscription, its
 * child run, its place in the exception queue, and (for a parallel) every scope it opened. A job in
 * flight is not recalled: its result arrives for an instance that is no longer running, and is
 * ignored as stale.
 */
import type { Draft } from "./draft.js";
import { emit } from "./draft.js";
import { activeInstances, endInstance } from "./instances.js";
import { branchScopeId } from "./scopes.js";
import type { ScopeId, StepInstance } from "./state.js";
import { cancelTimers } from "./timers.js";

export function cancelInstance(draft: Draft, instance: StepInstance, reason: string): void {
  cancelTimers(draft, instance);
  if (instance.status === "waiting" && instance.taskId !== undefined)
    emit(draft, "close-task", { taskId: instance.taskId, status: "cancelled" });
  unsubscribe(draft, instance);
  if (instance.status === "running" && instance.childRunId !== undefined)
    emit(draft, "cancel-child-run", { childRunId: instance.childRunId, reason });
  if (instance.status === "exception") emit(draft, "resolve-exception", { instance: instance.key });
  endInstance(draft, instance, "cancelled");
  const parallel = draft.state.parallels[instance.key];
  if (parallel) {
    for (const index of parallel.running) cancelScope(draft, branchScopeId(instance.key, index), reason);
    parallel.pending = [];
  }
}

/** Cancels every active instance of a scope (and of scopes nested in it). */
export function cancelScope(draft: Draft, scopeId: ScopeId, reason: string): void {
  const scope = draft.state.scopes[scopeId];
  if (!scope || scope.status !== "active") return;
  scope.status = "cancelled";
  for (const instance of activeInstances(draft))
    if (instance.scope === scopeId) cancelInstance(draft, instance, reason);
}

/** Ends a wait's event subscription, once. */
export function unsubscribe(draft: Draft, instance: StepInstance): void {
  if (!instance.subscription) return;
  emit(draft, "unsubscribe-event", { subscriptionId: instance.subscription.id });
  delete instance.subscription;
}
