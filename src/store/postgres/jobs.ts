/**
 * Jobs: handler calls and model tasks waiting for a worker. A lease is a number and a deadline:
 * every lease increments the number, and only the holder of the current number may complete the job
 * (fencing), so a worker that lost its lease cannot commit over the one that took the job after it.
 * Leasing locks the rows it picks with FOR UPDATE SKIP LOCKED: workers leasing at once each take
 * other jobs instead of queueing behind one another.
 */
import type pg from "pg";
import { byAge } from "../shared/jobs.js";
import { toJob } from "../shared/mappers.js";
import type { Job } from "../store.js";
import type { JobRow } from "../shared/rows.js";
import type { Tables } from "./tables.js";

export type JobQueries = ReturnType<typeof jobQueries>;

const JOB_COLUMNS = "job_id, run_id, kind, command, lease, leased_by, leased_until, created_at";

export function jobQueries(t: Tables) {
  // Expired leases first (oldest lease end first), then new jobs by age; the new ones fill what the
  // expired ones left of the limit. `grp` says which kind a row was, for the order of the result.
  const lease = `WITH expired AS (
      SELECT job_id FROM ${t.jobs} WHERE leased_until <= $2 ORDER BY leased_until LIMIT $4
      FOR UPDATE SKIP LOCKED),
    fresh AS (
      SELECT job_id FROM ${t.jobs} WHERE leased_until IS NULL ORDER BY created_at, job_id
      LIMIT greatest($4 - (SELECT count(*) FROM expired), 0)
      FOR UPDATE SKIP LOCKED),
    ready AS (SELECT job_id, 0 AS grp FROM expired UNION ALL SELECT job_id, 1 FROM fresh)
    UPDATE ${t.jobs} AS j SET lease = j.lease + 1, leased_by = $1, leased_until = $3
    FROM ready WHERE j.job_id = ready.job_id
    RETURNING ready.grp, ${JOB_COLUMNS.split(", ")
      .map((c) => `j.${c}`)
      .join(", ")}`;
  const complete = `DELETE FROM ${t.jobs} WHERE job_id = $1 AND lease = $2`;
  const insert = `INSERT INTO ${t.jobs} (${JOB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
  return {
    async lease(c: pg.ClientBase, worker: string, limit: number, now: number, until: number): Promise<Job[]> {
      const result = await c.query<JobRow & { grp: number }>({
        name: "charter_lease_jobs",
        text: lease,
        values: [worker, now, until, limit],
      });
      // RETURNING gives no order: oldest first within each group, for a stable result.
      return result.rows.sort((a, b) => a.grp - b.grp || byAge(a, b)).map(toJob);
    },
    /** Delete a job if `lease` is still its current lease number; false if another lease took it. */
    async complete(c: pg.ClientBase, jobId: string, lease: number): Promise<boolean> {
      const result = await c.query({ name: "charter_complete_job", text: complete, values: [jobId, lease] });
      return result.rowCount === 1;
    },
    /** One job row on its own (a batch whose commands must apply in order; see commit.ts). */
    async insert(c: pg.ClientBase, row: JobRow): Promise<void> {
      await c.query({
        name: "charter_insert_job",
        text: insert,
        values: [
          row.job_id,
          row.run_id,
          row.kind,
          row.command,
          row.lease,
          row.leased_by,
          row.leased_until,
          row.created_at,
        ],
      });
    },
  };
}
