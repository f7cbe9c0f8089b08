/**
 * Applying one event to a run: load the state and its charter version, `transition`, then commit
 * the result if the run is still at the seq it was computed from. Every event of the runtime goes
 * through here: job results, timers, decisions, operator actions, events, child results.
 *
 * - Ignored (same state): nothing to commit; the job is completed or the timer deleted.
 * - Refused: the refusal's audit records are appended on their own; the caller decides to throw.
 * - Stale writer (the seq moved on): reload and compute again, a bounded number of times. A job
 *   result whose lease was lost is dropped: the worker that holds the lease now will report.
 */
import type { Refusal } from "../engine/result.js";
import type { Command } from "../engine/commands.js";
import type { EngineEvent } from "../engine/events.js";
import type { RunState } from "../engine/state.js";
import { transition } from "../engine/transition.js";
import type { FirstTransition } from "../store/store.js";
import type { Runtime } from "./context.js";
import type { OutboxJob } from "./outbox.js";
import { withOutbox } from "./outbox.js";

/** How many times an event is computed again after losing a race with another writer. */
export const MAX_COMMIT_ATTEMPTS = 10;

export type EventSource =
  /** A person or an operator: a refusal is thrown to them. */
  | { readonly kind: "request" }
  /** The runtime itself (outbox effects, deliveries): a refusal is reported, not thrown. */
  | { readonly kind: "internal" }
  | { readonly kind: "job"; readonly job: { readonly jobId: string; readonly lease: number } }
  | { readonly kind: "timer"; readonly timerId: string };

export type EventOutcome =
  | { readonly kind: "applied"; readonly state: RunState }
  | { readonly kind: "ignored" }
  | { readonly kind: "refused"; readonly refusal: Refusal }
  /** No such run. */
  | { readonly kind: "missing" }
  /** Not committed: the job's lease was lost, or other writers kept winning. */
  | { readonly kind: "stale" };

export async function applyEvent(
  rt: Runtime,
  runId: string,
  event: EngineEvent,
  source: EventSource,
): Promise<EventOutcome> {
  const { store } = rt.config;
  for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
    const stored = await store.getRun(runId);
    if (!stored) {
      await settle(rt, source);
      return { kind: "missing" };
    }
    const { state } = stored;
    const charter = await rt.charters.get(state.workflow, state.version);
    const now = rt.config.clock.now();
    const result = await transition(charter, state, event, now, rt.config.limits);
    if (result.refusal) {
      if (result.commands.length > 0) await store.appendAudit(runId, result.commands);
      await settle(rt, source);
      return { kind: "refused", refusal: result.refusal };
    }
    if (result.state === state) {
      await settle(rt, source);
      return { kind: "ignored" };
    }
    const { commands, outbox } = withOutbox(runId, result.state.seq, result.commands);
    const committed = await store.commitTransition({
      runId,
      expectedSeq: state.seq,
      state: result.state,
      event,
      commands,
      at: now.toISOString(),
      ...(source.kind === "job" ? { job: source.job } : {}),
      ...(source.kind === "timer" ? { timer: { timerId: source.timerId } } : {}),
    });
    if (committed) {
      await afterCommit(rt, runId, commands, outbox);
      return { kind: "applied", state: result.state };
    }
    if (source.kind === "job" && (await store.getRun(runId))?.state.seq === state.seq)
      return { kind: "stale" };
  }
  return { kind: "stale" };
}

/** A run's first transition, with its outbox; idempotent on the run id and the idempotency key. */
export async function createRun(
  rt: Runtime,
  first: FirstTransition,
): Promise<{ runId: string; created: boolean }> {
  const { commands, outbox } = withOutbox(first.state.runId, first.state.seq, first.commands);
  const result = await rt.config.store.createRun({ ...first, commands });
  if (result.created) await afterCommit(rt, result.runId, commands, outbox);
  return result;
}

/** A job or timer whose event was not committed is finished with no transition. */
async function settle(rt: Runtime, source: EventSource): Promise<void> {
  if (source.kind === "job") await rt.config.store.completeJob(source.job);
  else if (source.kind === "timer") await rt.config.store.deleteTimer(source.timerId);
}

/**
 * After the commit: wake local workers for new jobs and timers, and carry out the outbox now (the
 * fast path). An outbox job that fails here stays in the store and a worker retries it.
 */
async function afterCommit(
  rt: Runtime,
  runId: string,
  commands: readonly Command[],
  outbox: readonly OutboxJob[],
): Promise<void> {
  if (
    commands.some((c) => c.type === "run-handler" || c.type === "run-model-task" || c.type === "start-timer")
  )
    rt.waker.notify();
  for (const { jobId, command } of outbox) {
    try {
      await rt.carryOut(runId, command);
      // Lease 0: completed only if no worker has leased it meanwhile (that worker completes it).
      await rt.config.store.completeJob({ jobId, lease: 0 });
    } catch (error) {
      rt.config.logger.warn(
        { err: error, runId, jobId, command: command.type },
        "outbox command failed; a worker will retry it",
      );
    }
  }
}
