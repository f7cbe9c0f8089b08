/** History: the event of every transition, in seq order, exactly as applied (for replay). */
import type { Database } from "better-sqlite3";
import type { EngineEvent } from "../../engine/events.js";
import type { HistoryEntry } from "../store.js";
import type { HistoryRow } from "../shared/rows.js";
import { toHistoryEntry } from "../shared/mappers.js";

export type HistoryQueries = ReturnType<typeof historyQueries>;

export function historyQueries(db: Database) {
  const insert = db.prepare<[HistoryRow]>(
    "INSERT INTO history (run_id, seq, event, at) VALUES (@run_id, @seq, @event, @at)",
  );
  const list = db.prepare<[string], HistoryRow>("SELECT * FROM history WHERE run_id = ? ORDER BY seq");
  return {
    append(runId: string, seq: number, event: EngineEvent, at: string): void {
      insert.run({ run_id: runId, seq, event: JSON.stringify(event), at });
    },
    list: (runId: string): HistoryEntry[] => list.all(runId).map(toHistoryEntry),
  };
}
