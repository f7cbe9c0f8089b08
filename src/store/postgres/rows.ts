/**
 * Row types: one per table, snake_case, mirroring the columns exactly. Domain types (store.ts) are
 * mapped from these only inside store/postgres. Times in `number` columns are epoch milliseconds
 * (bigint, parsed as numbers by pool.ts). JSON columns are `string` here and parsed by the mapping.
 */
import type { RunStatus } from "../../engine/state.js";
import type { JobKind, TaskStatus } from "../store.js";

export interface MigrationRow {
  readonly id: number;
  readonly name: string;
}

export interface CharterVersionRow {
  readonly workflow: string;
  readonly version: string;
  readonly definition: string;
  readonly source: string;
  readonly deployed_at: number;
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

export interface HistoryRow {
  readonly run_id: string;
  readonly seq: number;
  readonly event: string;
  readonly at: string;
}

export interface AuditRow {
  readonly run_id: string;
  readonly seq: number;
  readonly prev_hash: string;
  readonly hash: string;
  readonly actor: string;
  readonly action: string;
  readonly step: string | null;
  readonly instance: string | null;
  readonly reason: string | null;
  readonly policy: string | null;
  readonly data_hash: string | null;
  readonly at: string;
  readonly details: string | null;
  readonly call: string | null;
}

export interface JobRow {
  readonly job_id: string;
  readonly run_id: string;
  readonly kind: JobKind;
  readonly command: string;
  readonly lease: number;
  readonly leased_by: string | null;
  readonly leased_until: number | null;
  readonly created_at: number;
}

export interface TimerRow {
  readonly timer_id: string;
  readonly run_id: string;
  readonly fire_at: number;
  readonly claimed_until: number | null;
}

export interface TaskRow {
  readonly task_id: string;
  readonly run_id: string;
  readonly workflow: string;
  readonly command: string;
  readonly status: TaskStatus;
  readonly assignees: string;
  readonly claimed_by: string | null;
  readonly opened_at: number;
  readonly closed_at: number | null;
}

export interface SubscriptionRow {
  readonly subscription_id: string;
  readonly run_id: string;
  readonly name: string;
  readonly key: string;
}

export interface ExceptionRow {
  readonly run_id: string;
  readonly instance: string;
  readonly workflow: string;
  readonly step_id: string;
  readonly code: string;
  readonly message: string;
  readonly raised_at: number;
}
