/**
 * Deterministic ids: everything the engine names (jobs, timers, tasks, subscriptions, child runs) is
 * derived from the run id, the step instance and the attempt, never random. Replaying a run gives
 * the same ids, so a write the runtime repeats after a crash is idempotent. Ids are a prefix and 24
 * hex characters of a SHA-256: safe in URLs and of fixed length, whatever the step ids are.
 */
import { createHash } from "node:crypto";
import type { InstanceKey, TimerPurpose } from "./state.js";

function derive(prefix: string, parts: readonly (string | number)[]): string {
  const digest = createHash("sha256").update(parts.join("\u0000"), "utf8").digest("hex");
  return `${prefix}_${digest.slice(0, 24)}`;
}

export function jobId(runId: string, instance: InstanceKey, attempt: number): string {
  return derive("job", [runId, instance, attempt]);
}

export function timerId(
  runId: string,
  instance: InstanceKey,
  purpose: TimerPurpose,
  attempt: number,
): string {
  return derive("tmr", [runId, instance, purpose, attempt]);
}

export function taskId(runId: string, instance: InstanceKey, attempt: number): string {
  return derive("task", [runId, instance, attempt]);
}

export function subscriptionId(runId: string, instance: InstanceKey, attempt: number): string {
  return derive("sub", [runId, instance, attempt]);
}

export function childRunId(runId: string, instance: InstanceKey, attempt: number): string {
  return derive("run", [runId, instance, attempt]);
}

/** The idempotency key of an action with no `idempotency` expression: the same across retries. */
export function defaultIdempotencyKey(runId: string, instance: InstanceKey): string {
  return `${runId}:${instance}`;
}
