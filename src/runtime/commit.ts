/**
 * Applying one event to a run: load the state and its charter version, `transition`, then commit
 * the result if the run is still at the seq it was computed from. Every event of the runtime goes
 * through here: job results, timers, decisions, operator actions, events, child results.
 *
 * - Ignored (same state): nothing to commit; the job is completed or the timer deleted.
 * - Refused: the refusal's audit records are appended on their own; the caller decides to throw.
 * - Stale writer (the seq moved on): reload and compute again, backing off at random, a bounded
 *   number of times (a job's result: while its lease lasts). A job result whose lease was lost is
 *   dropped: the worker that holds the lease now will report.
 *
 * Writes go through the commit queue (group commit) and may be computed on a state this process is
 * still writing (run-states.ts); an event is ignored or refused only on the store's own state.
 */
import type { Refusal } from "../engine/result.js";
import type { Command } from "../engine/commands.js";
import type { EngineEvent } from "../engine/events.js";
import type { RunState } from "../engine/state.js";
import { transition } from "../engine/transition.js";
import type { BatchResult, FirstTransition, JobClaim, TransitionWrite } from "../store/store.js";
import type { Runtime } from "./context.js";
import type { JobCommand } from "./local-jobs.js";
import { claimedJobs } from "./local-jobs.js";
import type { OutboxJob } from "./outbox.js";
import { summaryOf } from "./runs.js";
import { outboxCommandOf, withOutbox } from "./outbox.js";

/** How many times an event is computed again after losing a race with another writer. */
export const MAX_COMMIT_ATTEMPTS = 25;
/**
 * A job's result keeps trying beyond that while the job's lease lasts (up to this many attempts):
 * giving up would leave the job to be run again once its lease ends, and the race to be run again.
 */
export const MAX_JOB_COMMIT_ATTEMPTS = 500;

export type EventSource =
  /** A person or an operator: a refusal is thrown to them. */
  | { readonly kind: "request" }
  /** The runtime itself (outbox effects, deliveries): a refusal is reported, not thrown. */
  | { readonly kind: "internal" }
  | {
      readonly kind: "job";
      readonly job: { readonly jobId: string; readonly lease: number };
      /** When the job's lease ends: its result is worth computing again until then. */
      readonly leasedUntil?: string;
    }
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
  for (let attempt = 1; mayTryAgain(rt, source, attempt); attempt++) {
    // Many writers on one run (the branches of a wide for_each, on several processes): back off
    // a little, at random, so that they stop colliding.
    if (attempt > 2) await backOff(attempt);
    // Computed after this process's earlier transitions of the run, on the state they wrote, and
    // submitted to the commit queue in turn.
    const step = await rt.states.serially(runId, () => computeAndSubmit(rt, runId, event, source, attempt));
    if (step.kind !== "submitted") {
      await settle(rt, source);
      return step;
    }
    const { write, claimed, outbox } = step;
    const result = await committed(rt, step.commit, write.state, claimed);
    if (result.ok) {
      await afterCommit(rt, write.state, write.commands, outbox, claimed);
      return { kind: "applied", state: write.state };
    }
    // The job's lease was lost: the worker that holds it now will report.
    if (result.refused === "lease") return { kind: "stale" };
  }
  return { kind: "stale" };
}

function mayTryAgain(rt: Runtime, source: EventSource, attempt: number): boolean {
  if (attempt <= MAX_COMMIT_ATTEMPTS) return true;
  if (source.kind !== "job" || source.leasedUntil === undefined || attempt > MAX_JOB_COMMIT_ATTEMPTS)
    return false;
  return rt.config.clock.now().getTime() < Date.parse(source.leasedUntil);
}

/** Up to 2^attempt ms (at most {@link MAX_BACKOFF_MS}), at random. */
const MAX_BACKOFF_MS = 50;
function backOff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

type Submitted = {
  readonly kind: "submitted";
  readonly write: TransitionWrite;
  readonly commit: Promise<BatchResult>;
  readonly claimed: Claimed | undefined;
  readonly outbox: readonly OutboxJob[];
};

async function computeAndSubmit(
  rt: Runtime,
  runId: string,
  event: EngineEvent,
  source: EventSource,
  attempt: number,
): Promise<Submitted | Exclude<EventOutcome, { kind: "applied" | "stale" }>> {
  const { store } = rt.config;
  // The state this process last wrote, on a first attempt: a guess that saves a read. A commit
  // checks it (seq), but an event it would ignore or refuse is never committed, so that verdict is
  // never checked: only the store's state may ignore or refuse an event (a job would be dropped).
  let guess = attempt === 1 ? rt.states.latest(runId) : undefined;
  let followPending = true;
  for (;;) {
    // The write the state comes from, if it may still be pending: this write then depends on it.
    let base = guess?.ticket;
    let state = guess?.state ?? (await store.getRun(runId))?.state;
    let trusted = guess === undefined;
    guess = undefined;
    if (!state) return { kind: "missing" };
    if (trusted) {
      rt.states.read(state);
      // A write of this process still in flight is newer than the store: follow it (pipelining).
      const pending = rt.states.latest(runId);
      if (followPending && pending !== undefined && pending.state.seq > state.seq) {
        ({ state, ticket: base } = pending);
        trusted = false;
      }
    }
    const charter = await rt.charters.get(state.workflow, state.version);
    const now = rt.config.clock.now();
    const result = await transition(charter, state, event, now, rt.config.limits);
    if ((result.refusal || result.state === state) && !trusted) {
      followPending = false; // judge it on the store's own state
      continue;
    }
    if (result.refusal) {
      if (result.commands.length > 0) await store.appendAudit(runId, result.commands);
      return { kind: "refused", refusal: result.refusal };
    }
    if (result.state === state) return { kind: "ignored" };
    const { commands, outbox } = withOutbox(runId, result.state.seq, result.commands);
    const at = now.toISOString();
    const claimed = reserveLocal(rt, commands, source.kind === "job", at);
    const write: TransitionWrite = {
      runId,
      expectedSeq: state.seq,
      state: result.state,
      event,
      commands,
      at,
      ...(source.kind === "job" ? { job: source.job } : {}),
      ...(source.kind === "timer" ? { timer: { timerId: source.timerId } } : {}),
      ...(claimed ? { claimJobs: claimed.claim } : {}),
    };
    const ticket = rt.commits.submit({ kind: "commit", ...write }, base);
    rt.states.writing(result.state, ticket);
    return { kind: "submitted", write, commit: ticket.done, claimed, outbox };
  }
}

/** A run's first transition, with its outbox; idempotent on the run id and the idempotency key. */
export async function createRun(
  rt: Runtime,
  first: FirstTransition,
): Promise<{ runId: string; created: boolean }> {
  const { commands, outbox } = withOutbox(first.state.runId, first.state.seq, first.commands);
  const claimed = reserveLocal(rt, commands, false, first.at);
  const ticket = rt.commits.submit({
    kind: "create",
    ...first,
    commands,
    ...(claimed ? { claimJobs: claimed.claim } : {}),
  });
  const { runId, ok } = await committed(rt, ticket.done, first.state, claimed);
  if (ok) {
    rt.states.writing(first.state);
    await afterCommit(rt, first.state, commands, outbox, claimed);
  }
  return { runId, created: ok };
}

/** A write's jobs that the local worker has room for: committed already leased to it (`claim`). */
interface Claimed {
  readonly claim: JobClaim;
  readonly jobs: readonly JobCommand[];
  /** When the write was computed: the jobs' `createdAt`. */
  readonly at: string;
}

/** Reserves room in the local worker for the handler and model jobs among `commands`, if it has it. */
function reserveLocal(
  rt: Runtime,
  commands: readonly Command[],
  handOff: boolean,
  at: string,
): Claimed | undefined {
  const jobs = localJobCommands(commands);
  const claim = jobs.length > 0 ? rt.local?.reserve(jobs.length, handOff) : undefined;
  return claim && { claim, jobs, at };
}

/**
 * The result of a submitted write. If it was not written (refused, or the store failed, which is
 * rethrown), the state it would have written is forgotten and the room reserved for its jobs is
 * given back.
 */
async function committed(
  rt: Runtime,
  done: Promise<BatchResult>,
  state: RunState,
  claimed: Claimed | undefined,
): Promise<BatchResult> {
  let result: BatchResult | undefined;
  try {
    result = await done;
    return result;
  } finally {
    if (!result?.ok) {
      rt.states.refused(state);
      if (claimed) rt.local?.release(claimed.jobs.length);
    }
  }
}

/** The jobs a local worker runs itself: handler and model calls (outbox jobs are carried out below). */
function localJobCommands(commands: readonly Command[]): JobCommand[] {
  return commands.filter(
    (c): c is JobCommand =>
      (c.type === "run-handler" || c.type === "run-model-task") && outboxCommandOf(c) === undefined,
  );
}

/**
 * A timer due within a poll interval: the worker loop must look again before its next poll. One due
 * later (a step's timeout, set at every action step) is found by the loop's next look anyway, so it
 * wakes nobody.
 */
function startsTimerSoon(rt: Runtime, command: Command): boolean {
  return (
    command.type === "start-timer" &&
    Date.parse(command.fireAt) - rt.config.clock.now().getTime() < rt.config.pollIntervalMs
  );
}

/** A job or timer whose event was not committed is finished with no transition. */
async function settle(rt: Runtime, source: EventSource): Promise<void> {
  if (source.kind === "job") await rt.config.store.completeJob(source.job);
  else if (source.kind === "timer") await rt.config.store.deleteTimer(source.timerId);
}

/**
 * After the commit: hand claimed jobs to the local worker, wake local workers for the rest, tell
 * those waiting that the run ended, and carry out the outbox now (the fast path). An outbox job that
 * fails here stays in the store and a worker retries it.
 */
async function afterCommit(
  rt: Runtime,
  state: RunState,
  commands: readonly Command[],
  outbox: readonly OutboxJob[],
  claimed: Claimed | undefined,
): Promise<void> {
  const { runId } = state;
  if (claimed) rt.local?.run(claimedJobs(runId, claimed.jobs, claimed.claim, claimed.at));
  const unclaimedWork =
    claimed === undefined && commands.some((c) => c.type === "run-handler" || c.type === "run-model-task");
  if (unclaimedWork || commands.some((c) => startsTimerSoon(rt, c))) rt.waker.notify();
  if (state.status !== "running") rt.waiters.ended(runId, summaryOf(state));
  for (const { jobId, command } of outbox) {
    try {
      await rt.carryOut(runId, command);
      // Unclaimed (lease 0): completed only if no worker has leased it meanwhile (that worker completes it).
      await rt.config.store.completeJob({ jobId, lease: claimed ? 1 : 0 });
    } catch (error) {
      rt.config.logger.warn(
        { err: error, runId, jobId, command: command.type },
        "outbox command failed; a worker will retry it",
      );
    }
  }
}
