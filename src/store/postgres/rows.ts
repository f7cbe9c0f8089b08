/**
 * Row types this store declares its own way (the run row, the migrations); the other tables' rows
 * are shared (../shared/rows.ts). Domain types (store.ts) are mapped from rows only inside the
 * stores. Times are epoch milliseconds (PostgreSQL bigint, parsed as numbers by pool.ts).
 */
import type { RunStatus } from "../../engine/state.js";

export interface MigrationRow {
  readonly id: number;
  readonly name: string;
}

export interface RunRow {
  readonly run_id: string;
  readonly workflow: string;
  readonly version: string;
  readonly status: RunStatus;
  readonly initiator: string;
  readonly started_at: number;
  readonly ended_at: number | null;
  readonly outcome: string | null;
  readonly success: boolean | null;
  readonly seq: number;
  readonly state: string;
  readonly audit_seq: number;
  readonly audit_hash: string | null;
  readonly idempotency_key: string | null;
}

/** The columns a run list reads (no state document). */
export type RunSummaryRow = Omit<RunRow, "state" | "audit_seq" | "audit_hash" | "idempotency_key">;

/** What a commit reads (and locks) before it writes. */
export type RunHeadRow = Pick<
  RunRow,
  "run_id" | "workflow" | "seq" | "audit_seq" | "audit_hash" | "idempotency_key"
>;

export type {
  AuditRow,
  CharterVersionRow,
  ExceptionRow,
  HistoryRow,
  JobRow,
  SubscriptionRow,
  TaskAssigneeRow,
  TaskRow,
  TimerRow,
} from "../shared/rows.js";
