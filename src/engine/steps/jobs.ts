/**
 * What action and ai steps share: a job per attempt, bounded by a timeout timer, whose result counts
 * only while the instance is running that same attempt.
 */
import { parseDuration } from "../../definition/duration.js";
import type { StepKind } from "../../definition/schema.js";
import type { Draft } from "../draft.js";
import { after } from "../draft.js";
import type { Evaluated } from "../expressions.js";
import { evaluate } from "../expressions.js";
import { activeInstance, stepOf } from "../instances.js";
import type { InstanceKey, StepError, StepInstance } from "../state.js";
import { startTimer } from "../timers.js";

/** The instance a job result is for, if that result is current: running the same attempt. */
export function currentJob(
  draft: Draft,
  key: InstanceKey,
  attempt: number,
  kind: StepKind,
): StepInstance | undefined {
  const instance = activeInstance(draft, key);
  if (!instance || instance.status !== "running" || instance.attempt !== attempt) return undefined;
  return stepOf(draft, instance).kind === kind ? instance : undefined;
}

/** The job's input: the `input` expression, or the run's input. */
export async function jobInput(
  draft: Draft,
  instance: StepInstance,
  source: string | undefined,
): Promise<Evaluated> {
  if (source === undefined) return { ok: true, value: draft.state.input };
  return evaluate(draft, source, instance.scope);
}

/** Milliseconds the job may take, and the timer that fails it when it takes longer. */
export function startJobTimeout(draft: Draft, instance: StepInstance, timeout: string | undefined): number {
  const timeoutMs = timeout === undefined ? draft.options.defaultTimeoutMs : parseDuration(timeout);
  startTimer(draft, instance, "timeout", after(draft, timeoutMs));
  return timeoutMs;
}

/** A job that ran past its timeout failed with `TIMEOUT`; a retry may well succeed. */
export function timeoutError(timeoutMs?: number): StepError {
  return {
    code: "TIMEOUT",
    message: "the step took longer than its timeout",
    retryable: true,
    ...(timeoutMs === undefined ? {} : { details: { timeoutMs } }),
  };
}
