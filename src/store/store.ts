/**
 * The Store: everything durable, behind one async interface with two implementations (SQLite now,
 * PostgreSQL next) that pass the same contract tests (test/store-contract.ts). The store knows the
 * engine's types (RunState, EngineEvent, Command) but never calls `transition`: the runtime does, and
 * hands the result to `commitTransition`, which writes it all in one transaction or nothing.
 *
 * Times are ISO 8601 strings. The store compares and orders by the instant they name, so any offset
 * is accepted; times it returns from its own columns come back as UTC `toISOString()` text, while
 * audit records, history entries and the run state come back exactly as written (they are hashed or
 * replayed).
 */
import type { AuditRecord, ChainHead } from "../audit/chain.js";
import type { Command, CommandOf } from "../engine/commands.js";
import type { EngineEvent, ModelCall } from "../engine/events.js";
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

/** One entry of a run's history: the event applied and when. `seq` is the run's seq after it. */
export interface HistoryEntry {
  readonly runId: string;
  readonly seq: number;
  readonly event: EngineEvent;
  readonly at: string;
}

/**
 * An audit record as stored: the chained record plus the model call of an `append-audit` command.
 * The call is part of the hashed content, so editing it is detected like any other field.
 */
export interface StoredAuditRecord extends AuditRecord {
  readonly call?: ModelCall;
}

export const JOB_KINDS = ["handler", "model"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Work for a worker: a handler call or a model task. Leased, never held. */
export interface Job {
  readonly jobId: string;
  readonly runId: string;
  readonly kind: JobKind;
  /** The run-handler or run-model-task command that created it. */
  readonly command: CommandOf<"run-handler" | "run-model-task">;
  /** Incremented at every lease: a worker commits only with the lease number it got (fencing). */
  readonly lease: number;
  readonly leasedBy?: string;
  /** The lease holds until this time, exclusive: at `leasedUntil` the job may be leased again. */
  readonly leasedUntil?: string;
  readonly createdAt: string;
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
  readonly command: CommandOf<"open-task">;
  /** The current assignees (an `update-task` replaces them). */
  readonly assignees: readonly string[];
  readonly status: TaskStatus;
  readonly claimedBy?: string;
  readonly openedAt: string;
  readonly closedAt?: string;
}

export interface ExceptionItem {
  readonly runId: string;
  readonly workflow: string;
  readonly instance: string;
  readonly stepId: string;
  readonly error: { readonly code: string; readonly message: string };
  readonly raisedAt: string;
}

/** Page sizes of every list: `limit` defaults to `default` and may not exceed `max`. */
export const PAGE_LIMITS = { default: 50, max: 500 } as const;

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back as `after` for the next page; absent on the last page. Opaque, store-specific. */
  readonly next?: string;
}

/** Newest first (by start time, then run id). */
export interface RunFilter {
  readonly workflow?: string;
  readonly status?: RunStatus;
  readonly after?: string;
  readonly limit?: number;
}

/** Oldest first (by open time, then task id): an inbox is a queue. */
export interface TaskFilter {
  /** Tasks assigned to any of these actors (a user and their roles), each task once. */
  readonly assignee?: readonly string[];
  readonly status?: TaskStatus;
  readonly runId?: string;
  readonly after?: string;
  readonly limit?: number;
}

/** Oldest first (by raise time, then run id and instance). */
export interface ExceptionFilter {
  readonly workflow?: string;
  readonly after?: string;
  readonly limit?: number;
}

/** A run's first transition (usually `run.started`), written with the run itself. */
export interface FirstTransition {
  readonly state: RunState;
  readonly event: EngineEvent;
  readonly commands: readonly Command[];
  readonly at: string;
  /** Per workflow: a second run with the same key is not created. */
  readonly idempotencyKey?: string;
  /** Lease the jobs this transition creates to a worker at once (see {@link JobClaim}). */
  readonly claimJobs?: JobClaim;
}

/**
 * The jobs a transition creates, written already leased (lease number 1) to the worker that commits
 * it, so that worker runs them with no lease round trip and no other worker is told about them. The
 * usual rules hold: when `until` passes unfinished, any worker may lease them again.
 */
export interface JobClaim {
  readonly workerId: string;
  readonly until: string;
}

/** A later transition, written only if the run is still at `expectedSeq`. */
export interface TransitionWrite {
  readonly runId: string;
  /** The seq the transition was computed from; `state.seq` must be `expectedSeq + 1`. */
  readonly expectedSeq: number;
  readonly state: RunState;
  readonly event: EngineEvent;
  readonly commands: readonly Command[];
  readonly at: string;
  /** The job whose result this transition applied: deleted if its lease is still `lease`. */
  readonly job?: { readonly jobId: string; readonly lease: number };
  /** The timer whose firing this transition applied: deleted with the commit. */
  readonly timer?: { readonly timerId: string };
  /** Lease the jobs this transition creates to a worker at once (see {@link JobClaim}). */
  readonly claimJobs?: JobClaim;
}

/** One write of {@link Store.commitBatch}: a run's first transition, or a later one. */
export type BatchWrite =
  ({ readonly kind: "create" } & FirstTransition) | ({ readonly kind: "commit" } & TransitionWrite);

/** Per write of a batch: the run, and whether it was created (`create`) or committed (`commit`). */
export interface BatchResult {
  readonly runId: string;
  readonly ok: boolean;
  /**
   * Why a write was not: `exists` (a create whose run id or idempotency key is taken), `seq` (the
   * run moved on), `lease` (the job is no longer held with that lease: a stale worker), or
   * `earlier-write` (an earlier write of the same run in the batch was refused).
   */
  readonly refused?: RefusedBecause;
}

export type RefusedBecause = "exists" | "seq" | "lease" | "earlier-write";

/**
 * What a store tells the workers of every process: new work that nobody holds (a job or a timer, so
 * an idle worker looks now instead of at its next poll), a run that ended (so `waitForRun` returns
 * at once), or that it (re)started listening: notices sent while it was not may be lost, so
 * whoever waits should look for themselves. PostgreSQL sends these with LISTEN/NOTIFY; SQLite,
 * one process per file, does not (its own process is woken directly).
 */
export type StoreNotice =
  | { readonly kind: "work" }
  | { readonly kind: "run-ended"; readonly runId: string }
  | { readonly kind: "listening" };

export interface Store {
  // Charter versions (immutable)
  /** Store a version; a version already stored is a no-op (returns false). */
  deployCharter(version: CharterVersion): Promise<boolean>;
  getCharterVersion(workflow: string, version: string): Promise<CharterVersion | undefined>;
  /** The version deployed last (a redeployed older version is a no-op and does not become latest). */
  latestCharterVersion(workflow: string): Promise<CharterVersion | undefined>;
  /** Every stored version, by workflow, then in deployment order. */
  listCharters(): Promise<CharterVersion[]>;

  // Runs
  /**
   * Create a run (id `state.runId`) with its first transition: the state, the history event, the
   * audit records and the commands' rows, in one transaction. When the run id exists already, or the
   * idempotency key was used for this workflow, nothing is written and the existing run id is
   * returned with `created: false` (so the runtime may retry a `start-child-run` safely).
   */
  createRun(first: FirstTransition): Promise<{ runId: string; created: boolean }>;
  getRun(runId: string): Promise<StoredRun | undefined>;
  listRuns(filter: RunFilter): Promise<Page<RunSummary>>;
  /** A run's history in seq order. */
  history(runId: string): Promise<HistoryEntry[]>;

  /**
   * Write a transition: the new state (only if the stored seq is still `expectedSeq`), the history
   * event, the audit records (chained here), and the rows each command implies (jobs, timers, tasks,
   * subscriptions, exceptions). All or nothing; returns false, having written nothing, when the seq
   * moved on (a stale writer) or when `job` is no longer held with that lease (a stale worker).
   * Throws for an unknown run or a state whose seq is not `expectedSeq + 1`.
   */
  commitTransition(write: TransitionWrite): Promise<boolean>;
  /**
   * Several first and later transitions in ONE transaction, in order: each write is checked exactly as
   * `createRun` or `commitTransition` checks it, and sees the writes before it. A write refused
   * (`ok: false`) writes nothing, and the others are still written, except the later writes of the
   * same run: once one is refused they are refused too, because a later write may have been computed
   * on the refused one's state, and a seq alone cannot tell that state from another writer's. A caller mistake (what
   * `commitTransition` throws for) or a store failure rolls the whole batch back and throws. The
   * runtime batches transitions that no one has been told about yet, so that one commit (one fsync,
   * one round trip) carries many.
   */
  commitBatch(writes: readonly BatchWrite[]): Promise<BatchResult[]>;
  /**
   * Audit records of a refused action: appended alone, in a transaction of their own. Only
   * `append-audit` commands are accepted (any other command would be lost, so it throws).
   */
  appendAudit(runId: string, commands: readonly Command[]): Promise<void>;
  /** A run's audit records in seq order, as stored: check them with `verifyAuditChain`. */
  auditTrail(runId: string): Promise<StoredAuditRecord[]>;

  // Work
  /**
   * Lease up to `limit` ready jobs (new, or whose lease ended at or before `now`) to `workerId` until
   * `until`. Each lease increments the job's `lease` number. Jobs whose lease expired come first.
   */
  leaseJobs(workerId: string, limit: number, now: string, until: string): Promise<Job[]>;
  /**
   * Claim up to `limit` timers due at `now` (and not claimed, or whose claim ended) until `until`,
   * so that only one worker fires each. The commit that applies `timer.fired` deletes the timer;
   * a claim that ends without that commit makes the timer due again.
   */
  claimDueTimers(limit: number, now: string, until: string): Promise<DueTimer[]>;
  /** When the next timer may be claimed: the earliest unclaimed fire time or claim end. */
  nextTimerAt(): Promise<string | undefined>;
  /**
   * Complete a job with no transition: its result was ignored (a stale attempt, an ended run), so
   * there is nothing to commit. Deleted only if `lease` is still its lease number; false otherwise.
   */
  completeJob(job: { readonly jobId: string; readonly lease: number }): Promise<boolean>;
  /** Delete a timer with no transition: its firing was ignored (stale, or the run has ended). */
  deleteTimer(timerId: string): Promise<void>;

  // People
  listTasks(filter: TaskFilter): Promise<Page<Task>>;
  getTask(taskId: string): Promise<Task | undefined>;
  /**
   * Claim an open task for `by` if no one else holds it (claiming again is fine). The store does not
   * check that `by` is an assignee: roles come from the directory, so the runtime checks that.
   * An `update-task` that no longer lists the claimant verbatim releases the claim.
   */
  claimTask(taskId: string, by: string): Promise<boolean>;

  // Events and exceptions
  /** Runs subscribed to an event name and key. */
  findSubscriptions(name: string, key: string): Promise<{ runId: string; subscriptionId: string }[]>;
  listExceptions(filter: ExceptionFilter): Promise<Page<ExceptionItem>>;

  /**
   * Listen for notices from other processes (see {@link StoreNotice}); returns the function that
   * stops listening. A store that cannot tell (SQLite) never calls the listener: workers then poll.
   */
  onNotice(listener: (notice: StoreNotice) => void): () => void;

  close(): Promise<void>;
}
