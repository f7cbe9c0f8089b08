/**
 * What every part of the runtime shares: the resolved config, the charter versions, a waker that
 * tells local workers there is new work, the commit queue, the run waiters, and the function that carries out outbox commands (set by
 * createEngine, so that committing and carrying out do not import each other).
 */
import type { CommandOf } from "../engine/commands.js";
import type { Charters } from "./charters.js";
import type { CommitQueue } from "./commit-queue.js";
import type { LocalJobs } from "./local-jobs.js";
import type { ResolvedEngineConfig } from "./options.js";
import type { NoticeHub } from "./notices.js";
import type { RunStates } from "./run-states.js";
import type { RunWaiters } from "./run-waiters.js";
import type { Waker } from "./waker.js";

/** Commands that act on another run: carried out after the commit, through the outbox. */
export type OutboxCommand = CommandOf<"start-child-run" | "cancel-child-run" | "notify-parent">;

export interface Runtime {
  readonly config: ResolvedEngineConfig;
  readonly charters: Charters;
  readonly waker: Waker;
  /** Every transition is written through here, so that concurrent ones share a transaction. */
  readonly commits: CommitQueue;
  /** The state this process last wrote per run, and the per-run order of its transitions. */
  readonly states: RunStates;
  /** Who waits for which run to end (`waitForRun`). */
  readonly waiters: RunWaiters;
  /** The store's notices, once a worker or a waiter needs them. */
  readonly notices: NoticeHub;
  /** The running `runWorker` of this engine, which runs the jobs its commits claim; none when no worker runs. */
  local: LocalJobs | undefined;
  /** Carries out one outbox command of run `runId`; idempotent, so it may run more than once. */
  readonly carryOut: (runId: string, command: OutboxCommand) => Promise<void>;
}
