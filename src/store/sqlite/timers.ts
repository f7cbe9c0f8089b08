/**
 * Timers: retries, due dates, escalations, expiries and waits are rows with a fire time. A worker
 * claims due timers for a while (claimed_until) so that one worker fires each; the commit that
 * applies `timer.fired` deletes the timer. A claim that runs out without that commit (the worker
 * crashed) makes the timer due again.
 */
import type { Database } from "better-sqlite3";
import type { DueTimer } from "../store.js";
import { toDueTimers } from "../shared/jobs.js";
import type { TimerRow } from "../shared/rows.js";
import { toIso } from "../shared/time.js";

export type TimerQueries = ReturnType<typeof timerQueries>;

export function timerQueries(db: Database) {
  const insert = db.prepare<[TimerRow]>(
    "INSERT INTO timers (timer_id, run_id, fire_at, claimed_until) VALUES (@timer_id, @run_id, @fire_at, @claimed_until)",
  );
  const remove = db.prepare<[string]>("DELETE FROM timers WHERE timer_id = ?");
  const claim = db.prepare<[{ now: number; until: number; limit: number }], TimerRow>(
    `UPDATE timers SET claimed_until = @until
     WHERE timer_id IN (
       SELECT timer_id FROM timers
       WHERE fire_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now)
       ORDER BY fire_at, timer_id LIMIT @limit)
     RETURNING *`,
  );
  const nextUnclaimed = db.prepare<[], { at: number | null }>(
    "SELECT min(fire_at) AS at FROM timers WHERE claimed_until IS NULL",
  );
  const nextClaimEnd = db.prepare<[], { at: number | null }>(
    "SELECT min(claimed_until) AS at FROM timers WHERE claimed_until IS NOT NULL",
  );
  return {
    insert(runId: string, timerId: string, fireAt: number): void {
      insert.run({ timer_id: timerId, run_id: runId, fire_at: fireAt, claimed_until: null });
    },
    /** Delete a timer; a timer already gone (fired or cancelled) is fine. */
    remove(timerId: string): void {
      remove.run(timerId);
    },
    claim(limit: number, now: number, until: number): DueTimer[] {
      return toDueTimers(claim.all({ now, until, limit }));
    },
    nextAt(): string | undefined {
      const times = [nextUnclaimed.get()?.at, nextClaimEnd.get()?.at].filter((at) => typeof at === "number");
      return times.length > 0 ? toIso(Math.min(...times)) : undefined;
    },
  };
}
