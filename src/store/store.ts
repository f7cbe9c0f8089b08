/**
 * The Store: everything durable, behind one async interface with two implementations (SQLite now,
 * PostgreSQL next) that pass the same contract tests. The store knows the engine's types (RunState,
 * EngineEvent, Command) but never calls `transition`: the runtime does, and hands the result to
 * `commitTransition`, which writes it all in one transaction or nothing.
 */
import type { AuditRecord, ChainHead } from "../audit/chain.js";
import type { Command } from "../engine/commands.js";
import type { EngineEvent } from "../engine/events.js";
import type { RunState, RunStatus } from "../engine/state.js";

/** An immutable, content-addressed charter version. */
export interface CharterVersion {
  readonly workflow: string;
  /** The charter's content hash (src/docs/hash.ts). */
  readonly version: string;
  /** The validated charter, as JSON. */
  readonly definition: unknown;
  readonly source: string;
  readonly deployedAt: string;
}

export interface RunSummary {
  readonly runId: string;
  readonly workflow: string;
  readonly version: string;
  readonly status: RunStatus;
  readonly initiator: string;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly outcome?: string;
  readonly success?: boolean;
  readonly seq: number;
}

export interface StoredRun {
  readonly state: RunState;
  readonly auditHead: ChainHead | undefined;
}

/** One entry of a run's history: the event applied and when. */
export interface HistoryEntry {
  readonly runId: string;
  readonly seq: number;
  readonly event: EngineEvent;
  readonly at: string;
}

export const JOB_KINDS = ["handler", "model"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Work for a worker: a handler call or a model task. Leased, never held. */
export interface Job {
  readonly jobId: string;
  readonly runId: string;
  readonly kind: JobKind;
  /** The run-handler or run-model-task command that created it. */
  readonly command: Extract<Command, { type: "run-handler" | "run-model-task" }>;
  /** Incremented at every lease: a worker commits only with the lease number it got (fencing). */
  readonly lease: number;
  readonly leasedUntil?: string;
}

export interface DueTimer {
  readonly timerId: string;
  readonly runId: string;
  readonly fireAt: string;
}

export const TASK_STATUSES = ["open", "decided", "expired", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** An inbox item: a human step waiting for a person. */
export interface Task {
  readonly taskId: string;
  readonly runId: string;
  readonly workflow: string;
  readonly command: Extract<Command, { type: "open-task" }>;
  readonly assignees: readonly string[];
  readonly status: TaskStatus;
  readonly claimedBy?: string;
  readonly openedAt: string;
}

export interface ExceptionItem {
  readonly runId: string;
  readonly workflow: string;
  readonly instance: string;
  readonly stepId: string;
  readonly error: { readonly code: string; readonly message: string };
  readonly raisedAt: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back as `after` for the next page; absent on the last page. */
  readonly next?: string;
}

export interface Store {
  // Charter versions (immutable)
  /** Store a version; a version already stored is a no-op (returns false). */
  deployCharter(version: CharterVersion): Promise<boolean>;
  getCharterVersion(workflow: string, version: string): Promise<CharterVersion | undefined>;
  latestCharterVersion(workflow: string): Promise<CharterVersion | undefined>;
  listCharters(): Promise<CharterVersion[]>;

  // Runs
  /**
   * Create a run with its first transition. With an idempotency key already used for this workflow,
   * nothing is written and the existing run id is returned.
   */
  createRun(first: { state: RunState; event: EngineEvent; commands: readonly Command[]; at: string; idempotencyKey?: string }): Promise<{ runId: string; created: boolean }>;
  getRun(runId: string): Promise<StoredRun | undefined>;
  listRuns(filter: { workflow?: string; status?: RunStatus; after?: string; limit?: number }): Promise<Page<RunSummary>>;
  history(runId: string): Promise<HistoryEntry[]>;

  /**
   * Write a transition: the new state (only if the stored seq is still `expectedSeq`), the history
   * event, the audit records (chained here), and the rows each command implies (jobs, timers, tasks,
   * subscriptions, exceptions). All or nothing; returns false when the seq moved on (a stale writer).
   * `job` completes the job whose result this transition applied, if its lease is still current.
   */
  commitTransition(write: {
    runId: string;
    expectedSeq: number;
    state: RunState;
    event: EngineEvent;
    commands: readonly Command[];
    at: string;
    job?: { jobId: string; lease: number };
  }): Promise<boolean>;
  /** Audit records of a refused action: appended alone, in a transaction of their own. */
  appendAudit(runId: string, commands: readonly Command[]): Promise<void>;
  auditTrail(runId: string): Promise<AuditRecord[]>;

  // Work
  /** Lease up to `limit` jobs that are ready (new, or whose lease expired) until `until`. */
  leaseJobs(workerId: string, limit: number, now: string, until: string): Promise<Job[]>;
  /** Timers due at `now`, claimed so that only one worker fires each. */
  claimDueTimers(limit: number, now: string): Promise<DueTimer[]>;
  nextTimerAt(): Promise<string | undefined>;

  // People
  listTasks(filter: { assignee?: readonly string[]; status?: TaskStatus; runId?: string; after?: string; limit?: number }): Promise<Page<Task>>;
  getTask(taskId: string): Promise<Task | undefined>;
  claimTask(taskId: string, by: string): Promise<boolean>;

  // Events and exceptions
  /** Runs subscribed to an event name and key. */
  findSubscriptions(name: string, key: string): Promise<{ runId: string; subscriptionId: string }[]>;
  listExceptions(filter: { workflow?: string; after?: string; limit?: number }): Promise<Page<ExceptionItem>>;

  close(): Promise<void>;
}
