/**
 * Jobs: handler calls and model tasks waiting for a worker. A lease is a number and a deadline:
 * every lease increments the number, and only the holder of the current number may complete the job
 * (fencing), so a worker that lost its lease cannot commit over the one that took the job after it.
 */
import type { Database } from "better-sqlite3";
import { byAge, jobRow } from "../shared/jobs.js";
import type { ClaimMs, JobCommand } from "../shared/jobs.js";
import { toJob } from "../shared/mappers.js";
import type { Job } from "../store.js";
import type { JobRow } from "../shared/rows.js";

export type JobQueries = ReturnType<typeof jobQueries>;

interface LeaseParams {
  readonly worker: string;
  readonly now: number;
  readonly until: number;
  readonly limit: number;
}

export function jobQueries(db: Database) {
  const insert = db.prepare<[JobRow]>(
    `INSERT INTO jobs (job_id, run_id, kind, command, lease, leased_by, leased_until, created_at)
     VALUES (@job_id, @run_id, @kind, @command, @lease, @leased_by, @leased_until, @created_at)`,
  );
  // Expired leases first (a range of jobs_ready that skips the NULLs), then new jobs by age.
  const leaseExpired = db.prepare<[LeaseParams], JobRow>(
    `UPDATE jobs SET lease = lease + 1, leased_by = @worker, leased_until = @until
     WHERE job_id IN (SELECT job_id FROM jobs WHERE leased_until <= @now ORDER BY leased_until LIMIT @limit)
     RETURNING *`,
  );
  const leaseNew = db.prepare<[LeaseParams], JobRow>(
    `UPDATE jobs SET lease = lease + 1, leased_by = @worker, leased_until = @until
     WHERE job_id IN (SELECT job_id FROM jobs WHERE leased_until IS NULL ORDER BY created_at LIMIT @limit)
     RETURNING *`,
  );
  const complete = db.prepare<[string, number]>("DELETE FROM jobs WHERE job_id = ? AND lease = ?");
  return {
    /** A new job: ready for any worker, or leased at once (lease 1) to the worker that claims it. */
    insert(runId: string, command: JobCommand, at: number, claim: ClaimMs | undefined): void {
      insert.run(jobRow(runId, command, at, claim));
    },
    /** Call inside an IMMEDIATE transaction: the two updates must see the same jobs. */
    lease(worker: string, limit: number, now: number, until: number): Job[] {
      const expired = leaseExpired.all({ worker, now, until, limit });
      const fresh =
        expired.length < limit ? leaseNew.all({ worker, now, until, limit: limit - expired.length }) : [];
      // RETURNING gives no order: oldest first within each group, for a stable result.
      return [...expired.sort(byAge), ...fresh.sort(byAge)].map(toJob);
    },
    /** Delete a job if `lease` is still its current lease number; false if another lease took it. */
    complete: (jobId: string, lease: number): boolean => complete.run(jobId, lease).changes > 0,
  };
}
