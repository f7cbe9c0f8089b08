/**
 * One leased job, start to finish. Outbox jobs are carried out and completed. A handler or model
 * job runs only while its run is running and its instance is still on that attempt; otherwise it is
 * completed unrun (its result would be ignored). Its result is applied with the job's lease, so a
 * worker that lost the lease cannot commit.
 */
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
  const stored = await store.getRun(job.runId);
  const instance = stored?.state.steps[job.command.instance];
  if (
    !stored ||
    stored.state.status !== "running" ||
    instance?.status !== "running" ||
    instance.attempt !== job.command.attempt
  ) {
    await store.completeJob(lease);
    return "skipped";
  }
  const { command } = job;
  const event =
    command.type === "run-handler"
      ? await runHandlerJob(rt.config, job.runId, command, shutdown)
      : await runModelJob(
          rt.config,
          await rt.charters.get(stored.state.workflow, stored.state.version),
          command,
          shutdown,
        );
  if (!event) return "stopped";
  const outcome = await applyEvent(rt, job.runId, event, { kind: "job", job: lease });
  return outcome.kind === "applied" ? "applied" : outcome.kind === "stale" ? "stale" : "ignored";
}
