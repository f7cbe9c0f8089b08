/**
 * Evaluating a charter's expressions inside a transition: compiled once per charter (a WeakMap keyed
 * by the charter object), evaluated over the context of a scope at the transition's `now`, bounded
 * by the engine options. A failure is a StepError with the expression's code, never a throw.
 */
import type { Charter } from "../definition/schema.js";
import type { CompileResult } from "../expr/compile.js";
import { compileExpression } from "../expr/compile.js";
import { isExpressionError } from "../expr/errors.js";
import { evaluateExpression } from "../expr/evaluate.js";
import { expressionContext } from "./context.js";
import type { Draft } from "./draft.js";
import type { ScopeId, StepError } from "./state.js";

export type Evaluated =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: StepError };

const compiled = new WeakMap<Charter, Map<string, CompileResult>>();

function compile(charter: Charter, source: string): CompileResult {
  let cache = compiled.get(charter);
  if (!cache) compiled.set(charter, (cache = new Map()));
  let result = cache.get(source);
  if (!result) cache.set(source, (result = compileExpression(source)));
  return result;
}

export async function evaluate(
  draft: Draft,
  source: string,
  scope: ScopeId,
  extra?: Readonly<Record<string, unknown>>,
): Promise<Evaluated> {
  const expression = compile(draft.charter, source);
  if (!expression.ok)
    return failed("EXPRESSION_FAILED", `expression does not compile: ${expression.message}`);
  const { options } = draft;
  try {
    const value = await evaluateExpression(expression, expressionContext(draft, scope, extra), {
      timeoutMs: options.expressionTimeoutMs,
      maxDepth: options.expressionMaxDepth,
      maxResultBytes: options.expressionMaxResultBytes,
      now: draft.now.getTime(),
      ...(options.expressionClock ? { clock: options.expressionClock } : {}),
    });
    return { ok: true, value };
  } catch (error) {
    if (isExpressionError(error)) return failed(error.code, error.message, { ...error.details });
    // evaluateExpression throws only ExpressionErrors; anything else is a bug worth surfacing.
    throw error;
  }
}

/** A non-retryable step error: evaluating the same expression on the same data fails again. */
export function failed(
  code: string,
  message: string,
  details?: Record<string, unknown>,
): Evaluated & { ok: false } {
  return { ok: false, error: { code, message, retryable: false, ...(details ? { details } : {}) } };
}

/** JSONata truth for conditions: only `true` is true (a rule must say what it means). */
export function isTrue(value: unknown): boolean {
  return value === true;
}
