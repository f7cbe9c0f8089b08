/**
 * Time, injected. The runtime reads "now" only from a Clock, so tests drive time with a manual clock
 * (xstate's SimulatedClock) and never sleep. Real timers are used only to wait between polls.
 */
import { CharterError } from "../errors.js";
import type { Clock } from "./engine.js";

export type { Clock } from "./engine.js";

/** The wall clock, with real timers (unref'd: a pending timeout never keeps the process alive). */
export const systemClock: Clock = Object.freeze({
  now: () => new Date(),
  schedule(ms: number, callback: () => void): () => void {
    const timer = setTimeout(callback, Math.max(0, ms));
    timer.unref();
    return () => clearTimeout(timer);
  },
});

/** A clock that moves only when told: `advance(ms)` runs the callbacks that come due, in time order. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms` (0 or more; time never goes backwards) and returns the new time. */
  advance(ms: number): Date;
  /** Moves time forward to `to`, which may not be earlier than now. */
  set(to: Date | string): Date;
  schedule(ms: number, callback: () => void): () => void;
  /** Callbacks scheduled and not yet run or cancelled. */
  pending(): number;
}

interface Scheduled {
  readonly at: number;
  readonly order: number;
  readonly callback: () => void;
}

export function createManualClock(start: Date | string | number = "2025-01-01T00:00:00.000Z"): ManualClock {
  let now = toMs(start, "start");
  let order = 0;
  const scheduled = new Set<Scheduled>();

  const moveTo = (target: number): Date => {
    for (;;) {
      const due = [...scheduled]
        .filter((s) => s.at <= target)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      scheduled.delete(due);
      now = Math.max(now, due.at);
      due.callback();
    }
    now = target;
    return new Date(now);
  };

  return {
    now: () => new Date(now),
    advance(ms: number): Date {
      if (!Number.isFinite(ms) || ms < 0)
        invalid("advance(ms)", ms, "0 or more milliseconds: time never goes backwards");
      return moveTo(now + ms);
    },
    set(to: Date | string): Date {
      const target = toMs(to, "set(to)");
      if (target < now)
        invalid(
          "set(to)",
          to,
          `a time at or after ${new Date(now).toISOString()}: time never goes backwards`,
        );
      return moveTo(target);
    },
    schedule(ms: number, callback: () => void): () => void {
      const entry: Scheduled = { at: now + Math.max(0, ms), order: order++, callback };
      scheduled.add(entry);
      return () => scheduled.delete(entry);
    },
    pending: () => scheduled.size,
  };
}

function toMs(value: Date | string | number, what: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : value;
  if (!Number.isFinite(ms)) invalid(what, value, "a valid time");
  return ms;
}

function invalid(what: string, value: unknown, expected: string): never {
  throw new CharterError("INVALID_OPTION", `manual clock ${what} must be ${expected}, not ${String(value)}`, {
    details: { option: what, value: value instanceof Date ? value.toISOString() : value },
  });
}
