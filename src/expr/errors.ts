/**
 * Errors raised while evaluating an expression: `CharterError`s with stable `EXPRESSION_*` codes that
 * callers (the engine's `on_error` routing, the API's problem mapping) branch on.
 */
import { CharterError, isCharterError } from "../errors.js";
import type { ErrorCode } from "../errors.js";

export type ExpressionErrorCode = Extract<ErrorCode, `EXPRESSION_${string}`>;

export class ExpressionError extends CharterError {
  declare readonly code: ExpressionErrorCode;

  constructor(
    code: ExpressionErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

/** True for an expression error, even one thrown by another copy of this package. */
export function isExpressionError(value: unknown): value is ExpressionError {
  return isCharterError(value) && value.code.startsWith("EXPRESSION_");
}
