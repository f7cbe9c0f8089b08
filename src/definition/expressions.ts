/**
 * Where a charter holds JSONata expressions, and which names each one may start from. One list,
 * used by the linter (syntax and references) and later by the engine (what to compile on deploy).
 */
import type { ValuePath } from "./diagnostic.js";
import { ACTOR_PATTERN } from "./schema.js";
import type { Charter, Step } from "./schema.js";

/** The run context every expression sees: the input, what earlier steps produced, and the run. */
export const CONTEXT_ROOTS = ["input", "steps", "run"] as const;
/** Fields of `run` an expression may read. */
export const RUN_FIELDS = ["id", "started", "initiator", "workflow", "version"] as const;
/** Fields of `steps.<id>` an expression may read. */
export const STEP_FIELDS = ["output", "decision", "confidence", "error", "status", "attempts"] as const;

export interface ExpressionSite {
  /** Where the expression is written, e.g. ["steps", "route", "rules", 0, "when"]. */
  readonly path: ValuePath;
  readonly source: string;
  /** The step it belongs to. */
  readonly stepId: string;
  /** Names the expression may start a path from (besides `$` variables and functions). */
  readonly roots: readonly string[];
}

/** True for a fixed actor (`user:x`, `role:x`), false for an expression that computes one. */
export function isActorLiteral(value: string): boolean {
  return ACTOR_PATTERN.test(value);
}

export function collectExpressionSites(charter: Charter): ExpressionSite[] {
  const itemNames = forEachItemNames(charter);
  const sites: ExpressionSite[] = [];
  for (const [stepId, step] of Object.entries(charter.steps)) {
    const roots = [...CONTEXT_ROOTS, ...(itemNames.get(stepId) ?? [])];
    const add = (source: string | undefined, path: ValuePath, extraRoots: readonly string[] = []) => {
      if (source !== undefined)
        sites.push({ path: ["steps", stepId, ...path], source, stepId, roots: [...roots, ...extraRoots] });
    };
    for (const { path, source, extraRoots } of stepExpressions(step)) add(source, path, extraRoots);
  }
  return sites;
}

function stepExpressions(
  step: Step,
): { path: ValuePath; source: string | undefined; extraRoots?: readonly string[] }[] {
  const actorExpression = (value: string | undefined) =>
    value !== undefined && !isActorLiteral(value) ? value : undefined;
  switch (step.kind) {
    case "action":
      return [
        { path: ["input"], source: step.input },
        { path: ["idempotency"], source: step.idempotency },
      ];
    case "ai":
      return [
        { path: ["input"], source: step.input },
        // The acceptance condition reads the proposal itself: its output and its confidence.
        { path: ["accept", "when"], source: step.accept?.when, extraRoots: ["output", "confidence"] },
      ];
    case "decision":
      return step.rules.map((rule, i) => ({ path: ["rules", i, "when"], source: rule.when }));
    case "approval":
    case "task":
      return [
        { path: ["assignee"], source: actorExpression(step.assignee) },
        { path: ["escalate", "to"], source: actorExpression(step.escalate?.to) },
      ];
    case "parallel":
      return [{ path: ["for_each"], source: step.for_each }];
    case "wait":
      return [
        { path: ["correlation"], source: step.correlation },
        { path: ["until"], source: step.until },
      ];
    case "workflow":
      return [{ path: ["input"], source: step.input }];
    case "end":
      return [];
  }
}

/** Steps in a `for_each` branch may read the current item (named by `as`, default `item`) and `index`. */
export function forEachItemNames(charter: Charter): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const step of Object.values(charter.steps)) {
    if (step.kind !== "parallel" || step.for_each === undefined || !step.branch) continue;
    for (const id of step.branch) names.set(id, [step.as ?? "item", "index"]);
  }
  return names;
}
