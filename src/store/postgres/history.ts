/** History: the event of every transition, in seq order, exactly as applied (for replay). */
import type pg from "pg";

import type { HistoryEntry } from "../store.js";
import type { HistoryRow } from "../shared/rows.js";
import type { Tables } from "./tables.js";
import { toHistoryEntry } from "../shared/mappers.js";

export type HistoryQueries = ReturnType<typeof historyQueries>;

export function historyQueries(t: Tables) {
  const list = `SELECT run_id, seq, event, at FROM ${t.history} WHERE run_id = $1 ORDER BY seq`;
  return {
    list: async (c: pg.ClientBase, runId: string): Promise<HistoryEntry[]> =>
      (await c.query<HistoryRow>({ name: "charter_history", text: list, values: [runId] })).rows.map(
        toHistoryEntry,
      ),
  };
}
