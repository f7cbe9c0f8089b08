/**
 * Scopes: where step instances live. The run has one root scope; a parallel instance opens one scope
 * per branch (or per for_each item), which runs its list of steps in order. When a scope ends, the
 * latest instance of each of its steps is promoted to the enclosing scope, so that steps after the
 * join (or after a route that left the branch) can read what the branch did.
 */
import { ownInstance } from "./instances.js";
import type { Draft } from "./draft.js";
import type { InstanceKey, ScopeId, StepInstance } from "./state.js";

export function branchScopeId(parallel: InstanceKey, index: number): ScopeId {
  return `${parallel}:${index}`;
}

export function openScope(
  draft: Draft,
  parallel: StepInstance,
  index: number,
  item?: { readonly value: unknown; readonly name: string },
): ScopeId {
  const id = branchScopeId(parallel.key, index);
  draft.state.scopes[id] = {
    id,
    parent: parallel.scope,
    parallel: parallel.key,
    branch: index,
    ...(item ? { item: item.value, index, itemName: item.name } : {}),
    status: "active",
  };
  draft.state.latest[id] = {};
  return id;
}

/** The list of steps a branch scope runs; empty for the root scope. */
export function branchList(draft: Draft, scopeId: ScopeId): readonly string[] {
  const scope = draft.state.scopes[scopeId];
  if (scope?.parallel === undefined || scope.branch === undefined) return [];
  const parallel = ownInstance(draft, scope.parallel);
  const step = parallel && draft.charter.steps[parallel.stepId];
  if (step?.kind !== "parallel") return [];
  return step.branches?.[scope.branch] ?? step.branch ?? [];
}

export function isBranchScope(draft: Draft, scopeId: ScopeId): boolean {
  return draft.state.scopes[scopeId]?.parallel !== undefined;
}

/** The parallel instance that opened a branch scope. */
export function parallelOf(draft: Draft, scopeId: ScopeId): StepInstance | undefined {
  const key = draft.state.scopes[scopeId]?.parallel;
  return key === undefined ? undefined : ownInstance(draft, key);
}

/** Makes a scope's latest instances visible from its enclosing scope. */
export function promoteLatest(draft: Draft, scopeId: ScopeId): void {
  const scope = draft.state.scopes[scopeId];
  if (!scope || scope.parent === null) return;
  Object.assign((draft.state.latest[scope.parent] ??= {}), draft.state.latest[scopeId] ?? {});
}

/** The latest instance of `stepId` visible from `scope` (its own, or the nearest enclosing one's). */
export function visibleInstance(draft: Draft, scopeId: ScopeId, stepId: string): StepInstance | undefined {
  for (let id: ScopeId | null = scopeId; id !== null; id = draft.state.scopes[id]?.parent ?? null) {
    const key = draft.state.latest[id]?.[stepId];
    if (key !== undefined) return ownInstance(draft, key);
  }
  return undefined;
}
