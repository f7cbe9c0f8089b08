/**
 * The JSONata context of an expression: `input`, `steps` (the latest instance of each step as seen
 * from a scope), `run`, and in a for_each branch the item (under its `as` name) and `index`.
 *
 * `steps.<id>` reads the latest instance of that step in the nearest enclosing scope that has one:
 * a branch sees its own steps and everything before the parallel. When a scope ends, its latest
 * instances are promoted to the enclosing scope (see parallel.ts), so steps after a join can read
 * what the branches did.
 */
import type { Draft } from "./draft.js";
import type { ScopeId, StepInstance, StepStatus } from "./state.js";
import { ROOT_SCOPE } from "./state.js";

/** What `steps.<id>` holds: the fields an expression may read (STEP_FIELDS). */
export interface StepView {
  readonly output?: unknown;
  readonly decision?: unknown;
  readonly confidence?: number;
  readonly error?: { readonly code: string; readonly message: string; readonly details?: unknown };
  readonly status: StepStatus;
  readonly attempts: number;
}

export function stepView(instance: StepInstance): StepView {
  const { error } = instance;
  return {
    output: instance.output,
    decision: instance.decision,
    confidence: instance.confidence,
    error: error && { code: error.code, message: error.message, details: error.details },
    status: instance.status,
    attempts: instance.attempt,
  };
}

/** The scopes from the root down to `scope` (root first). */
export function scopeChain(draft: Draft, scope: ScopeId): ScopeId[] {
  const chain: ScopeId[] = [];
  for (let id: ScopeId | null = scope; id !== null; id = draft.state.scopes[id]?.parent ?? null) {
    chain.unshift(id);
    if (id === ROOT_SCOPE) break;
  }
  return chain;
}

export function expressionContext(
  draft: Draft,
  scope: ScopeId,
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const { state } = draft;
  const steps: Record<string, StepView> = {};
  const items: Record<string, unknown> = {};
  for (const id of scopeChain(draft, scope)) {
    for (const [stepId, key] of Object.entries(state.latest[id] ?? {}))
      steps[stepId] = stepView(state.steps[key]!);
    const s = state.scopes[id];
    if (s?.index !== undefined) Object.assign(items, { [s.itemName ?? "item"]: s.item, index: s.index });
  }
  const run = {
    id: state.runId,
    started: state.startedAt,
    initiator: state.initiator,
    workflow: state.workflow,
    version: state.version,
  };
  return { ...items, input: state.input, steps, run, ...extra };
}
