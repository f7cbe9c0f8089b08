/**
 * Where a run goes next. `goTo` follows a route (a step id, or the reserved targets `exception` and
 * `continue`), `advance` follows a step's `next` (in a branch, an unset `next` carries on with the
 * branch), and `enterStep` creates the instance of the target and lets its kind start it.
 *
 * A target in the current branch's list is entered in the same scope. A target outside it leaves the
 * branch: the sibling scopes are cancelled and the route continues from the parallel instance, in
 * its enclosing scope (which may leave an outer branch in turn).
 */
import { CONTINUE_TARGET, EXCEPTION_TARGET } from "../definition/schema.js";
import type { Draft } from "./draft.js";
import { raiseException } from "./failure.js";
import { createInstance, stepOf } from "./instances.js";
import { branchList, isBranchScope } from "./scopes.js";
import type { ScopeId, StepError, StepInstance } from "./state.js";
import { enterKind } from "./steps/dispatch.js";
import { finishScope, leaveParallel } from "./steps/parallel.js";

/** Creates an instance of `stepId` in `scope` and starts it. `from` routed there (for errors). */
export async function enterStep(
  draft: Draft,
  stepId: string,
  scope: ScopeId,
  from?: StepInstance,
): Promise<void> {
  const step = draft.charter.steps[stepId];
  if (!step) {
    // The linter refuses routes to unknown steps; a charter that skipped it stops here, visibly.
    if (!from) throw new Error(`the charter has no step "${stepId}" to start the run at`);
    raiseException(draft, from, noRoute("UNKNOWN_STEP", `the route goes to unknown step "${stepId}"`));
    return;
  }
  const instance = createInstance(draft, stepId, scope);
  if (++draft.entered > draft.options.maxStepsPerTransition) {
    const limit = draft.options.maxStepsPerTransition;
    raiseException(
      draft,
      instance,
      noRoute("STEP_LIMIT", `more than ${limit} steps ran without waiting: a loop?`),
    );
    return;
  }
  await enterKind(draft, instance, step);
}

/** Follows a route from `from`, which has already ended (or is raised as an exception here). */
export async function goTo(
  draft: Draft,
  from: StepInstance,
  target: string,
  cause?: StepError,
): Promise<void> {
  if (target === EXCEPTION_TARGET)
    return raiseException(
      draft,
      from,
      cause ?? noRoute("ROUTED_TO_EXCEPTION", "the route goes to the exception queue"),
    );
  if (target === CONTINUE_TARGET) return continueInScope(draft, from);
  if (!isBranchScope(draft, from.scope) || branchList(draft, from.scope).includes(target))
    return enterStep(draft, target, from.scope, from);
  return leaveParallel(draft, from, target, cause);
}

/** Follows the step's `next`; in a branch, with no `next`, carries on with the branch. */
export async function advance(draft: Draft, from: StepInstance): Promise<void> {
  const step = stepOf(draft, from);
  const next = "next" in step ? step.next : undefined;
  if (next !== undefined) return goTo(draft, from, next);
  return continueInScope(draft, from);
}

/** The next step of the branch, or the end of the branch (which may join the parallel). */
export async function continueInScope(draft: Draft, from: StepInstance): Promise<void> {
  if (!isBranchScope(draft, from.scope))
    return raiseException(draft, from, noRoute("NO_ROUTE", `step "${from.stepId}" has no next step`));
  const list = branchList(draft, from.scope);
  const following = list[list.indexOf(from.stepId) + 1];
  if (list.includes(from.stepId) && following !== undefined)
    return enterStep(draft, following, from.scope, from);
  return finishScope(draft, from.scope);
}

function noRoute(code: string, message: string): StepError {
  return { code, message, retryable: false };
}
