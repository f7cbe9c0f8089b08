/** Runs: one row per run with its state document, the columns lists filter on, and the audit head. */
import type pg from "pg";
import type { RunState } from "../../engine/state.js";
import { chainHead, toRunSummary } from "../shared/mappers.js";
import { decodeCursor, pageLimit, toPage } from "../shared/paging.js";
import { toMs } from "../shared/time.js";
import type { Page, RunFilter, RunSummary, StoredRun } from "../store.js";
import { Params, whereClause } from "./params.js";
import type { RunRow, RunSummaryRow } from "./rows.js";
import type { Tables } from "./tables.js";

export type RunQueries = ReturnType<typeof runQueries>;

/** The columns a transition writes from its state. */
export type StateColumns = Pick<RunRow, "status" | "ended_at" | "outcome" | "success" | "seq" | "state">;

const SUMMARY_COLUMNS =
  "run_id, workflow, version, status, initiator, started_at, ended_at, outcome, success, seq";

export function runQueries(t: Tables) {
  const get = `SELECT state, audit_seq, audit_hash FROM ${t.runs} WHERE run_id = $1`;
  return {
    async get(c: pg.ClientBase, runId: string): Promise<StoredRun | undefined> {
      const result = await c.query<Pick<RunRow, "state" | "audit_seq" | "audit_hash">>({
        name: "charter_get_run",
        text: get,
        values: [runId],
      });
      const row = result.rows[0];
      return row && { state: JSON.parse(row.state) as RunState, auditHead: chainHead(row) };
    },
    async list(c: pg.ClientBase, filter: RunFilter): Promise<Page<RunSummary>> {
      const limit = pageLimit(filter.limit);
      const after = decodeCursor(filter.after, ["number", "string"]);
      const p = new Params();
      const where = [
        ...(filter.workflow === undefined ? [] : [`workflow = ${p.add(filter.workflow)}`]),
        ...(filter.status === undefined ? [] : [`status = ${p.add(filter.status)}`]),
        ...(after === undefined ? [] : [`(started_at, run_id) < (${p.add(after[0])}, ${p.add(after[1])})`]),
      ];
      const sql = `SELECT ${SUMMARY_COLUMNS} FROM ${t.runs} ${whereClause(where)}
        ORDER BY started_at DESC, run_id DESC LIMIT ${p.add(limit + 1)}`;
      const rows = (await c.query<RunSummaryRow>(sql, p.values)).rows;
      return toPage(
        rows,
        limit,
        (row) => toRunSummary(row, row.success),
        (row) => [row.started_at, row.run_id],
      );
    },
  };
}

/** `text`: the state as JSON, when it is known already (a batch serialises only each run's last state). */
export function stateColumns(state: RunState, text = JSON.stringify(state)): StateColumns {
  return {
    status: state.status,
    ended_at: state.endedAt === undefined ? null : toMs(state.endedAt, "state.endedAt"),
    outcome: state.outcome ?? null,
    success: state.success ?? null,
    seq: state.seq,
    state: text,
  };
}
