/** Runs: one row per run with its state document, the columns lists filter on, and the audit head. */
import type { Database } from "better-sqlite3";
import type { ChainHead } from "../../audit/chain.js";
import type { RunState } from "../../engine/state.js";
import type { Page, RunFilter, RunSummary, StoredRun } from "../store.js";
import { chainHead, toRunSummary } from "../shared/mappers.js";
import { decodeCursor, pageLimit, toPage } from "../shared/paging.js";
import type { RunRow, RunSummaryRow } from "./rows.js";
import { statementCache } from "./statements.js";
import { toMs } from "../shared/time.js";

export type RunQueries = ReturnType<typeof runQueries>;

/** What a commit reads before it writes. */
export interface RunHead {
  readonly workflow: string;
  readonly seq: number;
  readonly auditHead: ChainHead | undefined;
}

type StateColumns = Pick<RunRow, "status" | "ended_at" | "outcome" | "success" | "seq" | "state">;
type HeadRow = Pick<RunRow, "workflow" | "seq" | "audit_seq" | "audit_hash">;

const SUMMARY_COLUMNS =
  "run_id, workflow, version, status, initiator, started_at, ended_at, outcome, success, seq";

export function runQueries(db: Database) {
  const insert = db.prepare<[RunRow]>(
    `INSERT INTO runs (run_id, workflow, version, status, initiator, started_at, ended_at, outcome, success,
       seq, state, audit_seq, audit_hash, idempotency_key)
     VALUES (@run_id, @workflow, @version, @status, @initiator, @started_at, @ended_at, @outcome, @success,
       @seq, @state, @audit_seq, @audit_hash, @idempotency_key)
     ON CONFLICT DO NOTHING`,
  );
  const existing = db.prepare<[string, string, string | null], { run_id: string }>(
    "SELECT run_id FROM runs WHERE run_id = ? OR (workflow = ? AND idempotency_key = ?) LIMIT 1",
  );
  const head = db.prepare<[string], HeadRow>(
    "SELECT workflow, seq, audit_seq, audit_hash FROM runs WHERE run_id = ?",
  );
  const update = db.prepare<[StateColumns & { run_id: string; expected_seq: number }]>(
    `UPDATE runs SET status = @status, ended_at = @ended_at, outcome = @outcome, success = @success,
       seq = @seq, state = @state
     WHERE run_id = @run_id AND seq = @expected_seq`,
  );
  // In a batch: the columns at every write, the state document once per run, at the end.
  const updateHead = db.prepare<[Omit<StateColumns, "state"> & { run_id: string; expected_seq: number }]>(
    `UPDATE runs SET status = @status, ended_at = @ended_at, outcome = @outcome, success = @success,
       seq = @seq
     WHERE run_id = @run_id AND seq = @expected_seq`,
  );
  const setState = db.prepare<[string, string, number]>(
    "UPDATE runs SET state = ? WHERE run_id = ? AND seq = ?",
  );
  const setAuditHead = db.prepare<[number, string, string]>(
    "UPDATE runs SET audit_seq = ?, audit_hash = ? WHERE run_id = ?",
  );
  const get = db.prepare<[string], Pick<RunRow, "state" | "audit_seq" | "audit_hash">>(
    "SELECT state, audit_seq, audit_hash FROM runs WHERE run_id = ?",
  );
  const prepare = statementCache(db);

  return {
    /** Insert a new run; false (nothing written) when its id or idempotency key exists already. */
    insert(state: RunState, idempotencyKey: string | undefined): boolean {
      const row: RunRow = {
        run_id: state.runId,
        workflow: state.workflow,
        version: state.version,
        initiator: state.initiator,
        started_at: toMs(state.startedAt, "state.startedAt"),
        ...stateColumns(state),
        audit_seq: 0,
        audit_hash: null,
        idempotency_key: idempotencyKey ?? null,
      };
      return insert.run(row).changes > 0;
    },
    /** The run that holds this run id or this workflow's idempotency key. */
    existing(state: RunState, idempotencyKey: string | undefined): string | undefined {
      return existing.get(state.runId, state.workflow, idempotencyKey ?? null)?.run_id;
    },
    head(runId: string): RunHead | undefined {
      const row = head.get(runId);
      return row && { workflow: row.workflow, seq: row.seq, auditHead: chainHead(row) };
    },
    /** Write a run's new state if its seq is still `expectedSeq`; false otherwise. */
    update(state: RunState, expectedSeq: number): boolean {
      return (
        update.run({ ...stateColumns(state), run_id: state.runId, expected_seq: expectedSeq }).changes > 0
      );
    },
    /** Like `update`, but without the state document: write it with `setState` (see updateHead). */
    updateHead(state: RunState, expectedSeq: number): boolean {
      const { state: _document, ...columns } = stateColumns(state, "");
      return updateHead.run({ ...columns, run_id: state.runId, expected_seq: expectedSeq }).changes > 0;
    },
    /** The state document of a run whose columns are at this state's seq. */
    setState(state: RunState): void {
      if (setState.run(JSON.stringify(state), state.runId, state.seq).changes === 0)
        throw new Error(`run ${state.runId} is not at seq ${state.seq}: its state cannot be written`);
    },
    setAuditHead(runId: string, auditHead: ChainHead): void {
      setAuditHead.run(auditHead.seq, auditHead.hash, runId);
    },
    get(runId: string): StoredRun | undefined {
      const row = get.get(runId);
      return row && { state: JSON.parse(row.state) as RunState, auditHead: chainHead(row) };
    },
    list(filter: RunFilter): Page<RunSummary> {
      const limit = pageLimit(filter.limit);
      const after = decodeCursor(filter.after, ["number", "string"]);
      const where = [
        ...(filter.workflow === undefined ? [] : ["workflow = @workflow"]),
        ...(filter.status === undefined ? [] : ["status = @status"]),
        ...(after === undefined ? [] : ["(started_at, run_id) < (@at, @id)"]),
      ];
      const sql = `SELECT ${SUMMARY_COLUMNS} FROM runs ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
        ORDER BY started_at DESC, run_id DESC LIMIT @limit`;
      const rows = prepare<[Record<string, unknown>], RunSummaryRow>(sql).all({
        ...(filter.workflow === undefined ? {} : { workflow: filter.workflow }),
        ...(filter.status === undefined ? {} : { status: filter.status }),
        ...(after === undefined ? {} : { at: after[0], id: after[1] }),
        limit: limit + 1,
      });
      return toPage(
        rows,
        limit,
        (row) => toRunSummary(row, row.success === null ? null : row.success === 1),
        (row) => [row.started_at, row.run_id],
      );
    },
  };
}

function stateColumns(state: RunState, text = JSON.stringify(state)): StateColumns {
  return {
    status: state.status,
    ended_at: state.endedAt === undefined ? null : toMs(state.endedAt, "state.endedAt"),
    outcome: state.outcome ?? null,
    success: state.success === undefined ? null : state.success ? 1 : 0,
    seq: state.seq,
    state: text,
  };
}
