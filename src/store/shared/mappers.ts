/**
 * Rows to domain types (store.ts), the same for both stores: their tables are the same, column for
 * column (rows.ts). The run rows differ only in how they keep a boolean, which each store reads.
 */
import type { ChainHead } from "../../audit/chain.js";
import type { CommandOf } from "../../engine/commands.js";
import type { EngineEvent } from "../../engine/events.js";
import type { CharterVersion, ExceptionItem, HistoryEntry, Job, RunSummary, Task } from "../store.js";
import { optional } from "./optional.js";
import type {
  CharterVersionRow,
  ExceptionRow,
  HistoryRow,
  JobRow,
  RunRowOf,
  RunSummaryRowOf,
  TaskRow,
} from "./rows.js";
import { toIso, toIsoOrUndefined } from "./time.js";

/** The run's audit chain head, or undefined before its first audit record. */
export function chainHead(row: Pick<RunRowOf<unknown>, "audit_seq" | "audit_hash">): ChainHead | undefined {
  return row.audit_seq > 0 && row.audit_hash !== null
    ? { seq: row.audit_seq, hash: row.audit_hash }
    : undefined;
}

/** `success`: the row's success column read as a boolean by the store. */
export function toRunSummary(row: RunSummaryRowOf<unknown>, success: boolean | null): RunSummary {
  return {
    runId: row.run_id,
    workflow: row.workflow,
    version: row.version,
    status: row.status,
    initiator: row.initiator,
    startedAt: toIso(row.started_at),
    ...optional("endedAt", toIsoOrUndefined(row.ended_at)),
    ...optional("outcome", row.outcome),
    ...optional("success", success),
    seq: row.seq,
  };
}

export function toCharterVersion(row: CharterVersionRow): CharterVersion {
  return {
    workflow: row.workflow,
    version: row.version,
    definition: JSON.parse(row.definition) as unknown,
    source: row.source,
    deployedAt: toIso(row.deployed_at),
  };
}

export function toHistoryEntry(row: HistoryRow): HistoryEntry {
  return { runId: row.run_id, seq: row.seq, event: JSON.parse(row.event) as EngineEvent, at: row.at };
}

export function toJob(row: JobRow): Job {
  return {
    jobId: row.job_id,
    runId: row.run_id,
    kind: row.kind,
    command: JSON.parse(row.command) as Job["command"],
    lease: row.lease,
    ...optional("leasedBy", row.leased_by),
    ...optional("leasedUntil", toIsoOrUndefined(row.leased_until)),
    createdAt: toIso(row.created_at),
  };
}

export function toTask(row: TaskRow): Task {
  return {
    taskId: row.task_id,
    runId: row.run_id,
    workflow: row.workflow,
    command: JSON.parse(row.command) as CommandOf<"open-task">,
    assignees: JSON.parse(row.assignees) as string[],
    status: row.status,
    ...optional("claimedBy", row.claimed_by),
    openedAt: toIso(row.opened_at),
    ...optional("closedAt", toIsoOrUndefined(row.closed_at)),
  };
}

export function toExceptionItem(row: ExceptionRow): ExceptionItem {
  return {
    runId: row.run_id,
    workflow: row.workflow,
    instance: row.instance,
    stepId: row.step_id,
    error: { code: row.code, message: row.message },
    raisedAt: toIso(row.raised_at),
  };
}
