/**
 * evaluateExpression: run a compiled expression over a run context, bounded in time, in nesting
 * depth and in result size. Every failure is an ExpressionError with a stable code.
 */
import type { CompiledExpression } from "./compile.js";
import { ExpressionError, isExpressionError } from "./errors.js";
import type { Budget } from "./guards.js";
import { BUDGET_BINDING } from "./guards.js";
import { toJsonResult } from "./result.js";
import { describeOffset, lowercaseFirst } from "./syntax-error.js";

export interface EvaluateOptions {
  /**
   * Longest evaluation, in milliseconds of `clock`.
   * @default 1000
   */
  readonly timeoutMs?: number;
  /**
   * Deepest evaluation nesting. Each recursive JSONata function call takes about 3 levels.
   * @default 1000
   */
  readonly maxDepth?: number;
  /**
   * Largest result, in bytes of its JSON text.
   * @default 1048576 (1 MiB)
   */
  readonly maxResultBytes?: number;
  /**
   * The time `$now()` and `$millis()` return, in milliseconds since the epoch. The engine passes
   * the time of the event it handles, so that an evaluation is repeatable.
   * @default the time the evaluation starts
   */
  readonly now?: number;
  /**
   * A monotonic clock in milliseconds, read to enforce `timeoutMs`; tests pass a manual one.
   * @default performance.now
   */
  readonly clock?: () => number;
}

export const DEFAULT_EVALUATE_OPTIONS = Object.freeze({
  timeoutMs: 1000,
  maxDepth: 1000,
  maxResultBytes: 1024 * 1024,
});

/**
 * The value of `compiled` over `context` (`{ input, steps, run }`), as plain JSON data, or
 * `undefined` when the expression matches nothing.
 * @throws ExpressionError `EXPRESSION_TIMEOUT`, `EXPRESSION_TOO_DEEP`, `EXPRESSION_RESULT_TOO_LARGE`
 * or `EXPRESSION_FAILED`.
 */
export async function evaluateExpression(
  compiled: CompiledExpression,
  context: unknown,
  options: EvaluateOptions = {},
): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EVALUATE_OPTIONS.timeoutMs;
  const clock = options.clock ?? (() => performance.now());
  const budget: Budget = {
    deadline: clock() + timeoutMs,
    timeoutMs,
    maxDepth: options.maxDepth ?? DEFAULT_EVALUATE_OPTIONS.maxDepth,
    clock,
    now: options.now,
  };
  let value: unknown;
  try {
    value = await compiled.expression.evaluate(context, { [BUDGET_BINDING]: budget });
  } catch (error) {
    throw budget.breach ?? toExpressionError(error, compiled.source, budget);
  }
  if (budget.breach) throw budget.breach;
  return toJsonResult(value, options.maxResultBytes ?? DEFAULT_EVALUATE_OPTIONS.maxResultBytes);
}

function toExpressionError(error: unknown, source: string, budget: Budget): ExpressionError {
  if (isExpressionError(error)) return error;
  // The guards keep JSONata's own recursion off the stack; a native overflow can still come from
  // a deeply nested input, and it means the same thing to the caller.
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new ExpressionError(
      "EXPRESSION_TOO_DEEP",
      "expression nested too deeply for the stack (option maxDepth); look for unbounded recursion",
      { details: { maxDepth: budget.maxDepth }, cause: error },
    );
  }
  const { code, position, message } = (error ?? {}) as {
    code?: unknown;
    position?: unknown;
    message?: unknown;
  };
  const where =
    typeof position === "number" && position > 0 ? ` ${describeOffset(source, position - 1)}` : "";
  const text = typeof message === "string" ? lowercaseFirst(message) : String(error);
  return new ExpressionError("EXPRESSION_FAILED", `expression failed${where}: ${text}`, {
    details: {
      ...(typeof code === "string" ? { jsonataCode: code } : {}),
      ...(typeof position === "number" ? { position } : {}),
    },
    cause: error,
  });
}
