/**
 * One leased job, start to finish. Outbox jobs are carried out and completed. A handler or model
 * job runs only while its run is running and its instance is still on that attempt; otherwise it is
 * completed unrun (its result would be ignored). Its result is applied with the job's lease, so a
 * worker that lost the lease cannot commit.
 */
import type { RunState } from "../engine/state.js";
import type { Job } from "../store/store.js";
import { applyEvent } from "./commit.js";
import type { Runtime } from "./context.js";
import { runHandlerJob } from "./handlers.js";
import { runModelJob } from "./models.js";
import { outboxCommandOf } from "./outbox.js";

export type JobResult = "applied" | "ignored" | "skipped" | "stale" | "stopped";

export async function processJob(rt: Runtime, job: Job, shutdown?: AbortSignal): Promise<JobResult> {
  const { store } = rt.config;
  const lease = { jobId: job.jobId, lease: job.lease };
  const outbox = outboxCommandOf(job.command);
  if (outbox) {
    await rt.carryOut(job.runId, outbox);
    await store.completeJob(lease);
    return "applied";
  }
  // A remembered state (for a job this worker claimed, the one committed with it) saves a read,
  // but only the store's may decide to skip the job.
  const guess = rt.states.latest(job.runId)?.state;
  const state = guess && runsJob(guess, job) ? guess : await readRun(rt, job.runId);
  if (!state || !runsJob(state, job)) {
    await store.completeJob(lease);
    return "skipped";
  }
  const { command } = job;
  const event =
    command.type === "run-handler"
      ? await runHandlerJob(rt.config, job.runId, command, shutdown)
      : await runModelJob(rt.config, await rt.charters.get(state.workflow, state.version), command, shutdown);
  if (!event) return "stopped";
  const outcome = await applyEvent(rt, job.runId, event, {
    kind: "job",
    job: lease,
    ...(job.leasedUntil === undefined ? {} : { leasedUntil: job.leasedUntil }),
  });
  return outcome.kind === "applied" ? "applied" : outcome.kind === "stale" ? "stale" : "ignored";
}

/** The job's run is running and its instance is still on the job's attempt. */
function runsJob(state: RunState, job: Job): boolean {
  const instance = state.steps[job.command.instance];
  return (
    state.status === "running" && instance?.status === "running" && instance.attempt === job.command.attempt
  );
}

async function readRun(rt: Runtime, runId: string): Promise<RunState | undefined> {
  const state = (await rt.config.store.getRun(runId))?.state;
  if (state) rt.states.read(state);
  return state;
}
