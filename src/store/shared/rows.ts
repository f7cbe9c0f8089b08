/**
 * Row types shared by both stores: one per table, snake_case, mirroring the columns exactly (the two
 * schemas are the same table for table). Times in `number` columns are epoch milliseconds; JSON
 * columns are `string` here and parsed by the mappers (mappers.ts). The run row differs between the
 * stores only in how it keeps a boolean (SQLite: 0 and 1): each store names its own (`RunRowOf`).
 */
import type { RunStatus } from "../../engine/state.js";
import type { JobKind, TaskStatus } from "../store.js";

/** A run row; `Success` is how the store keeps a boolean (SQLite: 0 and 1). */
export interface RunRowOf<Success> {
  readonly run_id: string;
  readonly workflow: string;
  readonly version: string;
  readonly status: RunStatus;
  readonly initiator: string;
  readonly started_at: number;
  readonly ended_at: number | null;
  readonly outcome: string | null;
  readonly success: Success | null;
  readonly seq: number;
  readonly state: string;
  readonly audit_seq: number;
  readonly audit_hash: string | null;
  readonly idempotency_key: string | null;
}

/** The columns a run list reads (no state document). */
export type RunSummaryRowOf<Success> = Omit<
  RunRowOf<Success>,
  "state" | "audit_seq" | "audit_hash" | "idempotency_key"
>;

export interface CharterVersionRow {
  readonly workflow: string;
  readonly version: string;
  readonly definition: string;
  readonly source: string;
  readonly deployed_at: number;
}

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

/** Copies tasks.status and tasks.opened_at, so an inbox page is one index range. */
export interface TaskAssigneeRow {
  readonly task_id: string;
  readonly assignee: string;
  readonly status: TaskStatus;
  readonly opened_at: number;
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
