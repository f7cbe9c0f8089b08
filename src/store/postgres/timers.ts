/**
 * Timers: retries, due dates, escalations, expiries and waits are rows with a fire time. A worker
 * claims due timers for a while (claimed_until) so that one worker fires each; the commit that
 * applies `timer.fired` deletes the timer. A claim that runs out without that commit (the worker
 * crashed) makes the timer due again. Claiming skips rows another claim has locked.
 */
import type pg from "pg";
import { toDueTimers } from "../shared/jobs.js";
import { toIso } from "../shared/time.js";
import type { DueTimer } from "../store.js";
import type { TimerRow } from "../shared/rows.js";
import type { Tables } from "./tables.js";

export type TimerQueries = ReturnType<typeof timerQueries>;

export function timerQueries(t: Tables) {
  const claim = `WITH due AS (
      SELECT timer_id FROM ${t.timers}
      WHERE fire_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
      ORDER BY fire_at, timer_id LIMIT $3
      FOR UPDATE SKIP LOCKED)
    UPDATE ${t.timers} AS tm SET claimed_until = $2 FROM due WHERE tm.timer_id = due.timer_id
    RETURNING tm.timer_id, tm.run_id, tm.fire_at`;
  const nextAt = `SELECT least(min(fire_at) FILTER (WHERE claimed_until IS NULL), min(claimed_until)) AS at
    FROM ${t.timers}`;
  const insert = `INSERT INTO ${t.timers} (timer_id, run_id, fire_at) VALUES ($1, $2, $3)`;
  const remove = `DELETE FROM ${t.timers} WHERE timer_id = $1`;
  return {
    async claim(c: pg.ClientBase, limit: number, now: number, until: number): Promise<DueTimer[]> {
      const result = await c.query<Pick<TimerRow, "timer_id" | "run_id" | "fire_at">>({
        name: "charter_claim_timers",
        text: claim,
        values: [now, until, limit],
      });
      return toDueTimers(result.rows);
    },
    async nextAt(c: pg.ClientBase): Promise<string | undefined> {
      const at = (await c.query<{ at: number | null }>({ name: "charter_next_timer", text: nextAt })).rows[0]
        ?.at;
      return at === null || at === undefined ? undefined : toIso(at);
    },
    /** One timer row on its own (a batch whose commands must apply in order; see commit.ts). */
    async insert(c: pg.ClientBase, row: Pick<TimerRow, "timer_id" | "run_id" | "fire_at">): Promise<void> {
      await c.query({
        name: "charter_insert_timer",
        text: insert,
        values: [row.timer_id, row.run_id, row.fire_at],
      });
    },
    /** Delete a timer; a timer already gone (fired or cancelled) is fine. */
    async remove(c: pg.ClientBase, timerId: string): Promise<void> {
      await c.query({ name: "charter_delete_timer", text: remove, values: [timerId] });
    },
  };
}
