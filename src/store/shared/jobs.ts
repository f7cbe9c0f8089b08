/**
 * Job and timer rows, the same for both stores: a new job's row, the order a lease returns jobs in,
 * and the order a claim returns timers in (RETURNING gives none).
 */
import type { CommandOf } from "../../engine/commands.js";
import type { DueTimer, JobClaim, JobKind } from "../store.js";
import { compareText } from "./paging.js";
import type { JobRow, TimerRow } from "./rows.js";
import { toIso, toMs } from "./time.js";

export type JobCommand = CommandOf<"run-handler" | "run-model-task">;

/** A {@link JobClaim} with its end as epoch ms. */
export interface ClaimMs {
  readonly workerId: string;
  readonly until: number;
}

export function claimMs(claim: JobClaim | undefined): ClaimMs | undefined {
  return claim && { workerId: claim.workerId, until: toMs(claim.until, "claimJobs.until") };
}

/** A new job: ready for any worker, or leased at once (lease 1) to the worker that claims it. */
export function jobRow(runId: string, command: JobCommand, at: number, claim: ClaimMs | undefined): JobRow {
  return {
    job_id: command.jobId,
    run_id: runId,
    kind: JOB_KIND[command.type],
    command: JSON.stringify(command),
    lease: claim ? 1 : 0,
    leased_by: claim?.workerId ?? null,
    leased_until: claim?.until ?? null,
    created_at: at,
  };
}

const JOB_KIND: { readonly [K in JobCommand["type"]]: JobKind } = {
  "run-handler": "handler",
  "run-model-task": "model",
};

/** Oldest first, then by id. */
export function byAge(a: JobRow, b: JobRow): number {
  return a.created_at - b.created_at || compareText(a.job_id, b.job_id);
}

/** Claimed timers, the earliest first. */
export function toDueTimers(rows: Pick<TimerRow, "timer_id" | "run_id" | "fire_at">[]): DueTimer[] {
  return rows
    .sort((a, b) => a.fire_at - b.fire_at || compareText(a.timer_id, b.timer_id))
    .map((row) => ({ timerId: row.timer_id, runId: row.run_id, fireAt: toIso(row.fire_at) }));
}

/** How many jobs or timers to take: a whole number, 0 or more. */
export function workLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0)
    throw new RangeError(`limit must be a whole number, not ${limit}`);
  return limit;
}
