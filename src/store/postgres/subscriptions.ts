/** Subscriptions: runs waiting for an event, found by the event's name and correlation key. */
import type pg from "pg";
import type { CommandOf } from "../../engine/commands.js";
import type { SubscriptionRow } from "../shared/rows.js";
import type { Tables } from "./tables.js";

export type SubscriptionQueries = ReturnType<typeof subscriptionQueries>;

export function subscriptionQueries(t: Tables) {
  const insert = `INSERT INTO ${t.subscriptions} (subscription_id, run_id, name, key) VALUES ($1, $2, $3, $4)`;
  const remove = `DELETE FROM ${t.subscriptions} WHERE subscription_id = $1`;
  const find = `SELECT run_id, subscription_id FROM ${t.subscriptions} WHERE name = $1 AND key = $2
    ORDER BY run_id, subscription_id`;
  return {
    async insert(c: pg.ClientBase, runId: string, command: CommandOf<"subscribe-event">): Promise<void> {
      await c.query({
        name: "charter_subscribe",
        text: insert,
        values: [command.subscriptionId, runId, command.name, command.key],
      });
    },
    /** Delete a subscription; one already gone is fine. */
    async remove(c: pg.ClientBase, subscriptionId: string): Promise<void> {
      await c.query({ name: "charter_unsubscribe", text: remove, values: [subscriptionId] });
    },
    async find(c: pg.ClientBase, name: string, key: string) {
      const result = await c.query<Pick<SubscriptionRow, "run_id" | "subscription_id">>({
        name: "charter_find_subscriptions",
        text: find,
        values: [name, key],
      });
      return result.rows.map((row) => ({ runId: row.run_id, subscriptionId: row.subscription_id }));
    },
  };
}
