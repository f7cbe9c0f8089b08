/**
 * What one transaction holds: a run's new state (if its seq has not moved), the history event, the
 * chained audit records, the rows of every command, and the completion of the job or timer whose
 * result the transition applied. All of it or none of it.
 */
import type { Database } from "better-sqlite3";
import type { ChainHead } from "../../audit/chain.js";
import type { Command } from "../../engine/commands.js";
import type { EngineEvent } from "../../engine/events.js";
import type { RunState } from "../../engine/state.js";
import type {
  BatchResult,
  BatchWrite,
  FirstTransition,
  JobClaim,
  RefusedBecause,
  TransitionWrite,
} from "../store.js";
import { applyCommand } from "./apply-commands.js";
import type { CommandContext } from "./apply-commands.js";
import type { Queries } from "./queries.js";
import { claimMs } from "../shared/jobs.js";
import { toMs } from "../shared/time.js";
import { auditCommands, checkWrite } from "../shared/writes.js";

export type Commits = ReturnType<typeof prepareCommits>;

export function prepareCommits(db: Database, q: Queries) {
  /** History, audit and command rows of a transition whose run row is written. */
  const writeEffects = (
    state: RunState,
    event: EngineEvent,
    commands: readonly Command[],
    at: string,
    head: ChainHead | undefined,
    claim: JobClaim | undefined,
  ) => {
    q.history.append(state.runId, state.seq, event, at);
    const ctx: CommandContext = {
      runId: state.runId,
      workflow: state.workflow,
      at: toMs(at, "at"),
      auditHead: head,
      claim: claimMs(claim),
    };
    for (const command of commands) applyCommand(q, ctx, command);
    if (ctx.auditHead !== undefined && ctx.auditHead !== head)
      q.runs.setAuditHead(state.runId, ctx.auditHead);
  };

  const createOne = (first: FirstTransition): { runId: string; created: boolean } => {
    if (!q.runs.insert(first.state, first.idempotencyKey)) {
      const runId = q.runs.existing(first.state, first.idempotencyKey);
      if (runId === undefined) throw new Error(`run ${first.state.runId} was neither created nor found`);
      return { runId, created: false };
    }
    writeEffects(first.state, first.event, first.commands, first.at, undefined, first.claimJobs);
    return { runId: first.state.runId, created: true };
  };

  /**
   * Undefined when written; otherwise why not. `states`: in a batch, the run's state document is
   * left to the end of the batch (the last state per run is written once), not written here.
   */
  const commitOne = (write: TransitionWrite, states?: Map<string, RunState>): RefusedBecause | undefined => {
    checkWrite(write);
    const head = q.runs.head(write.runId);
    if (head === undefined) throw new Error(`commitTransition: no run ${write.runId}`);
    // Checks first, writes after: a refused commit returns having written nothing.
    if (head.seq !== write.expectedSeq) return "seq";
    if (write.job && !q.jobs.complete(write.job.jobId, write.job.lease)) return "lease";
    const updated = states
      ? q.runs.updateHead(write.state, write.expectedSeq)
      : q.runs.update(write.state, write.expectedSeq);
    if (!updated) throw new Error(`run ${write.runId} changed under its write lock`);
    states?.set(write.runId, write.state);
    if (write.timer) q.timers.remove(write.timer.timerId);
    writeEffects(write.state, write.event, write.commands, write.at, head.auditHead, write.claimJobs);
    return undefined;
  };

  const create = db.transaction(createOne);
  const commit = db.transaction(commitOne);
  const batch = db.transaction((writes: readonly BatchWrite[]): BatchResult[] => {
    // A run with a refused write: its later writes in this batch are refused too (see store.ts).
    const refused = new Set<string>();
    const states = new Map<string, RunState>();
    const results = writes.map((write): BatchResult => {
      if (write.kind === "create") {
        const { runId, created } = createOne(write);
        return created ? { runId, ok: true } : { runId, ok: false, refused: "exists" };
      }
      if (refused.has(write.runId)) {
        checkWrite(write);
        return { runId: write.runId, ok: false, refused: "earlier-write" };
      }
      const why = commitOne(write, states);
      if (why === undefined) return { runId: write.runId, ok: true };
      refused.add(write.runId);
      return { runId: write.runId, ok: false, refused: why };
    });
    for (const state of states.values()) q.runs.setState(state);
    return results;
  });

  const appendAudit = db.transaction((runId: string, commands: readonly Command[]): void => {
    const head = q.runs.head(runId);
    if (head === undefined) throw new Error(`appendAudit: no run ${runId}`);
    let auditHead = head.auditHead;
    for (const command of auditCommands(commands)) auditHead = q.audit.append(runId, auditHead, command);
    if (auditHead !== undefined && auditHead !== head.auditHead) q.runs.setAuditHead(runId, auditHead);
  });

  // IMMEDIATE: take the write lock before reading the seq, so no other connection writes in between.
  return {
    create: (first: FirstTransition) => create.immediate(first),
    commit: (write: TransitionWrite) => commit.immediate(write) === undefined,
    batch: (writes: readonly BatchWrite[]) => batch.immediate(writes),
    appendAudit: (runId: string, commands: readonly Command[]) => appendAudit.immediate(runId, commands),
  };
}
