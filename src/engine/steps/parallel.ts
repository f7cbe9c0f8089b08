/**
 * `parallel`: `branches` open one scope each; `for_each` evaluates its list once and opens one scope
 * per item, at most `concurrency` at a time (the rest open as others finish). Each scope runs its
 * list in order. When every scope has finished, the join: the output is each scope's last output, in
 * branch (or item) order, and the run follows the parallel's `next`.
 *
 * A route out of a branch (an error or an outcome to a step outside the list) cancels the sibling
 * scopes and continues from the parallel, in its enclosing scope.
 */
import type { StepOf } from "../../definition/schema.js";
import { audit } from "../audit.js";
import { cancelScope } from "../cancel.js";
import type { Draft } from "../draft.js";
import { routeError } from "../failure.js";
import { endInstance, stepOf } from "../instances.js";
import { advance, enterStep, goTo } from "../routing.js";
import { branchList, branchScopeId, openScope, parallelOf, promoteLatest } from "../scopes.js";
import type { ParallelState, ScopeId, StepError, StepInstance } from "../state.js";
import { evaluate } from "../expressions.js";

export async function enterParallel(
  draft: Draft,
  instance: StepInstance,
  step: StepOf<"parallel">,
): Promise<void> {
  instance.status = "running";
  let items: unknown[] | undefined;
  if (step.for_each !== undefined) {
    const result = await evaluate(draft, step.for_each, instance.scope);
    if (!result.ok) return routeError(draft, instance, result.error);
    items = result.value === undefined ? [] : Array.isArray(result.value) ? result.value : [result.value];
  }
  const total = items ? items.length : (step.branches?.length ?? 0);
  draft.state.parallels[instance.key] = {
    instance: instance.key,
    total,
    pending: Array.from({ length: total }, (_, i) => i),
    running: [],
    done: [],
    results: Array.from({ length: total }, () => null),
    ...(items ? { items } : {}),
  };
  if (total === 0) return join(draft, instance);
  await fill(draft, instance, step);
}

/** Opens pending scopes while the parallel runs and the concurrency bound allows. */
async function fill(draft: Draft, instance: StepInstance, step: StepOf<"parallel">): Promise<void> {
  const parallel = draft.state.parallels[instance.key]!;
  const limit = step.for_each !== undefined ? (step.concurrency ?? Infinity) : Infinity;
  while (instance.status === "running" && parallel.running.length < limit && parallel.pending.length > 0) {
    const index = parallel.pending.shift()!;
    parallel.running.push(index);
    const item = parallel.items ? { value: parallel.items[index], name: step.as ?? "item" } : undefined;
    const scope = openScope(draft, instance, index, item);
    const first = branchList(draft, scope)[0];
    if (first === undefined) await finishScope(draft, scope);
    else await enterStep(draft, first, scope, instance);
  }
}

/** A scope ran its last step: record its result, then join or open the next item. */
export async function finishScope(draft: Draft, scopeId: ScopeId): Promise<void> {
  const scope = draft.state.scopes[scopeId]!;
  const instance = parallelOf(draft, scopeId)!;
  const parallel = draft.state.parallels[instance.key]!;
  const index = scope.branch!;
  scope.status = "joined";
  scope.result ??= null;
  parallel.running = parallel.running.filter((i) => i !== index);
  parallel.done.push(index);
  parallel.results[index] = scope.result;
  if (instance.status !== "running") return;
  if (parallel.done.length === parallel.total) return join(draft, instance);
  await fill(draft, instance, stepOf(draft, instance) as StepOf<"parallel">);
}

async function join(draft: Draft, instance: StepInstance): Promise<void> {
  const parallel = draft.state.parallels[instance.key]!;
  for (const index of [...parallel.done].sort((a, b) => a - b))
    promoteLatest(draft, branchScopeId(instance.key, index));
  instance.output = [...parallel.results];
  endInstance(draft, instance, "succeeded");
  audit(draft, { actor: "system", action: "step.succeeded", data: instance.output }, instance);
  await advance(draft, instance);
}

/** A route from `from` leaves its branch for `target`: cancel the siblings, route from the parallel. */
export async function leaveParallel(
  draft: Draft,
  from: StepInstance,
  target: string,
  cause?: StepError,
): Promise<void> {
  const instance = parallelOf(draft, from.scope)!;
  const parallel = draft.state.parallels[instance.key]!;
  const opened = openedScopes(parallel).map((i) => branchScopeId(instance.key, i));
  for (const scope of opened) cancelScope(draft, scope, `a route left the branch for "${target}"`);
  parallel.pending = [];
  // The leaving branch is promoted last: the step after the route reads the instance that left.
  for (const scope of [...opened.filter((s) => s !== from.scope), from.scope]) promoteLatest(draft, scope);
  instance.output = [...parallel.results];
  if (cause) instance.error = cause;
  endInstance(draft, instance, cause ? "failed" : "succeeded");
  audit(
    draft,
    { actor: "system", action: "parallel.left", details: { from: from.key, to: target, code: cause?.code } },
    instance,
  );
  await goTo(draft, instance, target, cause);
}

function openedScopes(parallel: ParallelState): number[] {
  return [...parallel.running, ...parallel.done].sort((a, b) => a - b);
}
