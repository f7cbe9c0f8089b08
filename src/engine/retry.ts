/**
 * The retry schedule of `action` and `ai` steps, pure: how long to wait after a failed attempt, and
 * whether there is another attempt at all. Retries are timers, never sleeps.
 */
import { parseDuration } from "../definition/duration.js";
import type { StepOf } from "../definition/schema.js";
import type { StepError } from "./state.js";

export type RetryPolicy = NonNullable<StepOf<"action">["retry"]>;

export const DEFAULT_BACKOFF_FACTOR = 2;

/**
 * Milliseconds to wait after attempt `failedAttempt` (1 for the first) before the next one:
 * `initial` for fixed backoff; `initial * factor^(failedAttempt - 1)` for exponential, at most
 * `max_delay`.
 */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  const initial = parseDuration(policy.initial);
  const cap = policy.max_delay === undefined ? Infinity : parseDuration(policy.max_delay);
  if ((policy.backoff ?? "exponential") === "fixed") return Math.min(initial, cap);
  const factor = policy.factor ?? DEFAULT_BACKOFF_FACTOR;
  return Math.min(initial * factor ** (failedAttempt - 1), cap);
}

/** True when a failed attempt gets another one: the error is retryable and attempts remain. */
export function shouldRetry(
  policy: RetryPolicy | undefined,
  failedAttempt: number,
  error: StepError,
): boolean {
  return policy !== undefined && error.retryable && failedAttempt < policy.max_attempts;
}

/** The delay before the next attempt: the error's own `retryAfterMs` when it gives one. */
export function nextAttemptDelayMs(policy: RetryPolicy, failedAttempt: number, error: StepError): number {
  return error.retryAfterMs ?? retryDelayMs(policy, failedAttempt);
}
