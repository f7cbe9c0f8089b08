/**
 * Step instances: creating one when a step is entered, finding the active one an event is about, and
 * ending one. A step entered again in the same scope (a loop) is a new instance, `scope/step#visit`.
 */
import type { Step } from "../definition/schema.js";
import { cloneState } from "./clone-state.js";
import type { Draft } from "./draft.js";
import type { InstanceKey, ScopeId, StepInstance, StepStatus } from "./state.js";

export function instanceKey(scope: ScopeId, stepId: string, visit: number): InstanceKey {
  return `${scope}/${stepId}#${visit}`;
}

/** A new instance of `stepId` in `scope`, registered as the latest of that step there, and active. */
export function createInstance(draft: Draft, stepId: string, scope: ScopeId): StepInstance {
  const { state } = draft;
  let visit = 1;
  while (state.steps[instanceKey(scope, stepId, visit)] !== undefined) visit++;
  const key = instanceKey(scope, stepId, visit);
  const instance: StepInstance = {
    key,
    stepId,
    scope,
    visit,
    status: "running",
    attempt: 1,
    startedAt: draft.at,
    timers: [],
  };
  state.steps[key] = instance;
  (state.latest[scope] ??= {})[stepId] = key;
  state.active.push(key);
  return instance;
}

/**
 * The draft's own copy of an instance, to read or change: an instance still shared with the
 * caller's state is copied first. Every lookup of an instance in the draft goes through here.
 */
export function ownInstance(draft: Draft, key: InstanceKey): StepInstance | undefined {
  const instance = draft.state.steps[key];
  if (instance === undefined || instance !== draft.sharedSteps[key]) return instance;
  const copy = cloneState(instance);
  draft.state.steps[key] = copy;
  return copy;
}

export function stepOf(draft: Draft, instance: StepInstance): Step {
  const step = draft.charter.steps[instance.stepId];
  // The charter version of a run never changes, so every instance's step exists in it.
  if (!step) throw new Error(`step "${instance.stepId}" is not in the run's charter version`);
  return step;
}

/** The instance if it is active (not ended): events about ended instances are stale. */
export function activeInstance(draft: Draft, key: InstanceKey): StepInstance | undefined {
  return draft.state.active.includes(key) ? ownInstance(draft, key) : undefined;
}

export function activeInstances(draft: Draft): StepInstance[] {
  return draft.state.active.map((key) => ownInstance(draft, key)!);
}

/**
 * Ends an instance: its final status, the time, and no longer active. Its timers are the caller's.
 * In a branch, an output becomes the branch's result so far (what the join collects).
 */
export function endInstance(draft: Draft, instance: StepInstance, status: StepStatus): void {
  instance.status = status;
  instance.endedAt = draft.at;
  const at = draft.state.active.indexOf(instance.key);
  if (at >= 0) draft.state.active.splice(at, 1);
  const scope = draft.state.scopes[instance.scope];
  if (scope?.parallel !== undefined && instance.output !== undefined) scope.result = instance.output;
}
