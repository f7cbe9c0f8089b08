/**
 * The fast path of a worker: jobs that its own commits create are written already leased to it
 * (`claimJobs`) and run at once, with the state the commit wrote, instead of waiting for the next
 * lease round and reading the run again. A commit claims only as many jobs as the worker has free
 * slots; the others are left in the store for any worker to lease.
 */
import type { CommandOf } from "../engine/commands.js";
import type { Job, JobClaim } from "../store/store.js";

/** The commands a job row carries that a worker runs itself (outbox jobs are carried out). */
export type JobCommand = CommandOf<"run-handler" | "run-model-task">;

export interface LocalJobs {
  /**
   * Room for `count` more jobs: a claim to commit them under, or undefined when the worker is full.
   * `handOff`: the transition applies the result of one of this worker's own jobs, whose slot frees
   * as soon as it returns, so that slot counts as free (a chain of steps keeps running locally).
   */
  reserve(count: number, handOff: boolean): JobClaim | undefined;
  /** Give back room reserved for a commit that did not happen. */
  release(count: number): void;
  /**
   * Run jobs committed under a claim: the room reserved for them becomes their slots. They are
   * checked against the state this process remembers for the run (run-states.ts): the one just written.
   */
  run(jobs: readonly Job[]): void;
}

/** The job rows a commit under `claim` wrote for these commands, as `leaseJobs` would return them. */
export function claimedJobs(
  runId: string,
  commands: readonly JobCommand[],
  claim: JobClaim,
  at: string,
): Job[] {
  return commands.map((command) => ({
    jobId: command.jobId,
    runId,
    kind: command.type === "run-handler" ? "handler" : "model",
    command,
    lease: 1,
    leasedBy: claim.workerId,
    leasedUntil: claim.until,
    createdAt: at,
  }));
}
