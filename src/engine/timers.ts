/**
 * Timers a step instance owns: started with a purpose and the attempt they belong to, cancelled when
 * the instance moves on. A timer that fires after it was cancelled, or for an older attempt, is
 * stale and ignored.
 */
import { ownInstance } from "./instances.js";
import type { Draft } from "./draft.js";
import { emit } from "./draft.js";
import { timerId } from "./ids.js";
import type { PendingTimer, StepInstance, TimerPurpose } from "./state.js";

export function startTimer(
  draft: Draft,
  instance: StepInstance,
  purpose: TimerPurpose,
  fireAt: string,
): void {
  const id = timerId(draft.state.runId, instance.key, purpose, instance.attempt);
  draft.state.timers[id] = { instance: instance.key, purpose, attempt: instance.attempt, fireAt };
  instance.timers.push(id);
  emit(draft, "start-timer", { timerId: id, instance: instance.key, fireAt });
}

/** Cancels the instance's timers (all, or those of the given purposes). */
export function cancelTimers(draft: Draft, instance: StepInstance, purposes?: readonly TimerPurpose[]): void {
  for (const id of [...instance.timers]) {
    const timer = draft.state.timers[id];
    if (purposes && timer && !purposes.includes(timer.purpose)) continue;
    forget(draft, instance, id);
    emit(draft, "cancel-timer", { timerId: id });
  }
}

/** The timer that fired, removed from the run; undefined when it is unknown (cancelled or fired). */
export function takeTimer(draft: Draft, id: string): PendingTimer | undefined {
  const timer = draft.state.timers[id];
  if (!timer) return undefined;
  const instance = ownInstance(draft, timer.instance);
  if (instance) forget(draft, instance, id);
  else delete draft.state.timers[id];
  return timer;
}

function forget(draft: Draft, instance: StepInstance, id: string): void {
  delete draft.state.timers[id];
  const at = instance.timers.indexOf(id);
  if (at >= 0) instance.timers.splice(at, 1);
}
