/**
 * A thrown error -> the step error the engine routes: `NonRetryableError` is not retried,
 * `RetryAfterError` waits its delay, any other error is retried, with its own string `code` if it
 * has one (so `on_error` can route it), else the caller's fallback (`HANDLER_FAILED`).
 */
import type { StepError } from "../engine/state.js";
import { isCharterError } from "../errors.js";
import { isNonRetryableError, isRetryAfterError } from "./handler-errors.js";

/** Longest error message kept in the run state and history. */
export const MAX_ERROR_MESSAGE = 2000;

export function toStepError(error: unknown, fallbackCode: string): StepError {
  const message = truncate(error instanceof Error ? error.message : String(error));
  const details = jsonDetails(
    isNonRetryableError(error) || isRetryAfterError(error) || isCharterError(error)
      ? error.details
      : undefined,
  );
  const base = { message, ...(details ? { details } : {}) };
  if (isNonRetryableError(error)) return { code: error.code, retryable: false, ...base };
  if (isRetryAfterError(error))
    return { code: error.code, retryable: true, retryAfterMs: error.retryAfterMs, ...base };
  const code = (error as { code?: unknown } | null)?.code;
  return { code: typeof code === "string" && code !== "" ? code : fallbackCode, retryable: true, ...base };
}

/** A step error the runtime itself decides. */
export function stepError(
  code: string,
  message: string,
  retryable: boolean,
  details?: Record<string, unknown>,
): StepError {
  return { code, message: truncate(message), retryable, ...(details ? { details } : {}) };
}

function truncate(message: string): string {
  return message.length > MAX_ERROR_MESSAGE ? `${message.slice(0, MAX_ERROR_MESSAGE - 1)}…` : message;
}

/** Details go into the state: only plain JSON survives. */
function jsonDetails(details: unknown): Record<string, unknown> | undefined {
  if (typeof details !== "object" || details === null || Object.keys(details).length === 0) return undefined;
  try {
    return JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
  } catch {
    // Details that are not JSON (a cycle, a BigInt) are left out rather than failing the report.
    return undefined;
  }
}
