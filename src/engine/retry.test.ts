import { describe, expect, it } from "vitest";
import { nextAttemptDelayMs, retryDelayMs, shouldRetry } from "./retry.js";
import type { RetryPolicy } from "./retry.js";

const error = (retryable: boolean) => ({ code: "X", message: "x", retryable });

describe("retry schedule", () => {
  it("exponential backoff doubles from initial by default", () => {
    const policy: RetryPolicy = { max_attempts: 6, backoff: "exponential", initial: "1s" };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n))).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it("exponential backoff uses the factor and stops growing at max_delay", () => {
    const policy: RetryPolicy = {
      max_attempts: 6,
      backoff: "exponential",
      initial: "500ms",
      factor: 3,
      max_delay: "10s",
    };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n))).toEqual([500, 1500, 4500, 10000, 10000]);
  });

  it("fixed backoff waits initial every time", () => {
    const policy: RetryPolicy = { max_attempts: 4, backoff: "fixed", initial: "10s" };
    expect([1, 2, 3].map((n) => retryDelayMs(policy, n))).toEqual([10000, 10000, 10000]);
  });

  it("a retryable error retries until max_attempts attempts in all; a non-retryable one never", () => {
    const policy: RetryPolicy = { max_attempts: 3, backoff: "exponential", initial: "1s" };
    expect([1, 2, 3].map((n) => shouldRetry(policy, n, error(true)))).toEqual([true, true, false]);
    expect(shouldRetry(policy, 1, error(false))).toBe(false);
    expect(shouldRetry(undefined, 1, error(true))).toBe(false);
  });

  it("an error's retryAfterMs replaces the backoff", () => {
    const policy: RetryPolicy = { max_attempts: 3, backoff: "exponential", initial: "1s" };
    expect(nextAttemptDelayMs(policy, 1, { ...error(true), retryAfterMs: 60_000 })).toBe(60_000);
    expect(nextAttemptDelayMs(policy, 2, error(true))).toBe(2000);
  });
});
