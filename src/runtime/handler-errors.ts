/**
 * Retry control for handler authors, small and explicit (as in inngest and restate): throw
 * `NonRetryableError` for a failure a retry cannot fix, `RetryAfterError` to retry after a given
 * delay instead of the step's backoff. Any other thrown error is retried per the step's `retry`.
 * The step's `on_error` routes by `code` once there are no retries left.
 *
 * These are not `CharterError`s: their codes are the handler's own (`PO_NOT_FOUND`), not Charter's.
 * Checks go by a registered symbol, so they work across duplicate copies of the package.
 */
import { parseDuration } from "../definition/duration.js";

const NON_RETRYABLE = Symbol.for("charter.non-retryable-error");
const RETRY_AFTER = Symbol.for("charter.retry-after-error");

export interface HandlerErrorOptions {
  /** What `on_error` routes by: SCREAMING_SNAKE, e.g. `PO_NOT_FOUND`. */
  readonly code?: string;
  /** Machine-readable facts, kept with the step's error (JSON only). */
  readonly details?: Record<string, unknown>;
  readonly cause?: unknown;
}

/** A failure a retry cannot fix: the step is not retried and goes where `on_error` routes `code`. */
export class NonRetryableError extends Error {
  /** @default "NON_RETRYABLE" */
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly [NON_RETRYABLE] = true;

  constructor(message: string, options: HandlerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? "NON_RETRYABLE";
    this.details = options.details;
  }
}

/**
 * Retry after `retryAfter` (milliseconds, or a duration such as `"30s"`) instead of the step's
 * backoff, e.g. when a service says when to come back. Attempts still count against `max_attempts`.
 */
export class RetryAfterError extends Error {
  /** @default "HANDLER_FAILED" */
  readonly code: string;
  readonly retryAfterMs: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly [RETRY_AFTER] = true;

  constructor(message: string, retryAfter: number | string, options: HandlerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? "HANDLER_FAILED";
    this.details = options.details;
    const ms = typeof retryAfter === "string" ? parseDuration(retryAfter) : retryAfter;
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`retryAfter must be 0 or more milliseconds, not ${String(retryAfter)}`);
    this.retryAfterMs = Math.round(ms);
  }
}

/** True for a `NonRetryableError`, even one from another copy of this package. */
export function isNonRetryableError(value: unknown): value is NonRetryableError {
  return (
    typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[NON_RETRYABLE] === true
  );
}

/** True for a `RetryAfterError`, even one from another copy of this package. */
export function isRetryAfterError(value: unknown): value is RetryAfterError {
  return (
    typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[RETRY_AFTER] === true
  );
}
