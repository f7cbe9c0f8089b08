/**
 * Due timers become `timer.fired`. The store has claimed each one for this worker, so no other
 * worker fires it meanwhile; the commit that applies the firing deletes it, and a firing the engine
 * ignores (a cancelled timer, an ended run) deletes it with no transition.
 */
import type { DueTimer } from "../store/store.js";
import { applyEvent } from "./commit.js";
import type { Runtime } from "./context.js";

/** Timers claimed per round; the loop comes back for more. */
export const TIMER_BATCH = 100;

export async function fireTimer(rt: Runtime, timer: DueTimer): Promise<void> {
  await applyEvent(
    rt,
    timer.runId,
    { type: "timer.fired", timerId: timer.timerId },
    { kind: "timer", timerId: timer.timerId },
  );
}

/** Claims the timers due at `now` (until the lease ends) and fires them one by one. */
export async function fireDueTimers(rt: Runtime, now: Date): Promise<number> {
  const { store, leaseMs } = rt.config;
  const due = await store.claimDueTimers(
    TIMER_BATCH,
    now.toISOString(),
    new Date(now.getTime() + leaseMs).toISOString(),
  );
  for (const timer of due) await fireTimer(rt, timer);
  return due.length;
}
