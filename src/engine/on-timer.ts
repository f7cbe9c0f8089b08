/**
 * `timer.fired`: a retry backoff ends (the next attempt starts, same instance), or a step's deadline
 * passes (its kind decides what that means). A timer that was cancelled or already fired is unknown
 * and ignored.
 */
import type { Draft } from "./draft.js";
import type { EventOf } from "./events.js";
import { activeInstance, stepOf } from "./instances.js";
import type { Handled } from "./result.js";
import { APPLIED, IGNORED } from "./result.js";
import { enterKind, onKindTimer } from "./steps/dispatch.js";
import { takeTimer } from "./timers.js";

export async function onTimerFired(draft: Draft, event: EventOf<"timer.fired">): Promise<Handled> {
  const timer = takeTimer(draft, event.timerId);
  if (!timer) return IGNORED;
  const instance = activeInstance(draft, timer.instance);
  // Timers are cancelled when their instance moves on; one left over is only removed.
  if (!instance || instance.attempt !== timer.attempt) return APPLIED;
  const step = stepOf(draft, instance);
  if (timer.purpose !== "retry") await onKindTimer(draft, instance, step, timer.purpose);
  else if (instance.status === "retrying") {
    instance.attempt += 1;
    instance.status = "running";
    await enterKind(draft, instance, step);
  }
  return APPLIED;
}
