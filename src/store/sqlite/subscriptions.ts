/** Subscriptions: runs waiting for an event, found by the event's name and correlation key. */
import type { Database } from "better-sqlite3";
import type { CommandOf } from "../../engine/commands.js";
import type { SubscriptionRow } from "../shared/rows.js";

export type SubscriptionQueries = ReturnType<typeof subscriptionQueries>;

export function subscriptionQueries(db: Database) {
  const insert = db.prepare<[SubscriptionRow]>(
    "INSERT INTO subscriptions (subscription_id, run_id, name, key) VALUES (@subscription_id, @run_id, @name, @key)",
  );
  const remove = db.prepare<[string]>("DELETE FROM subscriptions WHERE subscription_id = ?");
  const find = db.prepare<[string, string], Pick<SubscriptionRow, "run_id" | "subscription_id">>(
    "SELECT run_id, subscription_id FROM subscriptions WHERE name = ? AND key = ? ORDER BY run_id, subscription_id",
  );
  return {
    insert(runId: string, command: CommandOf<"subscribe-event">): void {
      insert.run({
        subscription_id: command.subscriptionId,
        run_id: runId,
        name: command.name,
        key: command.key,
      });
    },
    /** Delete a subscription; one already gone is fine. */
    remove(subscriptionId: string): void {
      remove.run(subscriptionId);
    },
    find: (name: string, key: string) =>
      find.all(name, key).map((row) => ({ runId: row.run_id, subscriptionId: row.subscription_id })),
  };
}
