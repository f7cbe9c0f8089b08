/**
 * A run's state: plain JSON data (it survives `JSON.parse(JSON.stringify(state))` and gives the same
 * next transition). The engine core reads and returns it; the store persists it as one document.
 */

/** Bumped when the shape changes incompatibly; stored with every run. */
export const RUN_STATE_FORMAT = 1;

export const RUN_STATUSES = ["running", "completed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * - `running`: a handler, model task or child run is in flight (a job or a child exists)
 * - `waiting`: waiting for a person, an event or a time
 * - `retrying`: failed, its retry timer is set
 * - `exception`: failed with no route; in the exception queue until an operator acts
 * - `succeeded`, `failed` (routed by on_error), `cancelled`, `expired` (a human step that expired)
 */
export const STEP_STATUSES = [
  "running",
  "waiting",
  "retrying",
  "exception",
  "succeeded",
  "failed",
  "cancelled",
  "expired",
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** Where a step instance lives: `root`, or a branch (or for_each item) of a parallel instance. */
export type ScopeId = string;
export const ROOT_SCOPE: ScopeId = "root";

/** `${scope}/${stepId}#${visit}`: a step entered a second time (a loop) is a new instance. */
export type InstanceKey = string;

export interface StepError {
  readonly code: string;
  readonly message: string;
  /** False for NonRetryableError, schema failures and other errors a retry cannot fix. */
  readonly retryable: boolean;
  /** A handler's RetryAfterError: wait this long before the next attempt instead of the backoff. */
  readonly retryAfterMs?: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A decision by a person, a rule or the system; what `steps.<id>.decision` reads. */
export interface Decision {
  readonly outcome: string;
  readonly by: string;
  readonly at: string;
  readonly reason?: string;
  /** The decision rule's name (or "rule N" / "default") for a decision step. */
  readonly rule?: string;
  readonly policy?: string;
}

export interface StepInstance {
  readonly key: InstanceKey;
  readonly stepId: string;
  readonly scope: ScopeId;
  readonly visit: number;
  status: StepStatus;
  /** 1 for the first try; a retry increments it. A stale attempt's result is ignored. */
  attempt: number;
  startedAt: string;
  endedAt?: string;
  output?: unknown;
  decision?: Decision;
  confidence?: number;
  error?: StepError;
  /** Stays the same across retries of this instance: handlers use it to make side effects once. */
  idempotencyKey?: string;
  /** Open human task, if any, and who may currently decide it. */
  taskId?: string;
  assignees?: string[];
  /** Who may not decide the task (not_by, resolved when it opened). */
  excluded?: string[];
  /** SHA-256 of the canonical JSON of what the task showed (`shows`), recorded with the decision. */
  shownHash?: string;
  /** Timers this instance owns (so they can be cancelled when it ends). */
  timers: string[];
  /** A wait for an event: the subscription that resumes it. */
  subscription?: { readonly id: string; readonly name: string; readonly key: string };
  /** A child run started by a workflow step. */
  childRunId?: string;
}

export const TIMER_PURPOSES = ["retry", "timeout", "due", "escalate", "expire", "until"] as const;
/**
 * - `retry`: the backoff before the next attempt is over
 * - `timeout`: a job, a model task, a child run or a wait took too long
 * - `due`, `escalate`, `expire`: a human step's deadlines
 * - `until`: a wait for a time is over
 */
export type TimerPurpose = (typeof TIMER_PURPOSES)[number];

/** A timer the run has started and not yet seen fire or cancelled. */
export interface PendingTimer {
  readonly instance: InstanceKey;
  readonly purpose: TimerPurpose;
  /** The attempt that started it: a timer of an older attempt is stale. */
  readonly attempt: number;
  readonly fireAt: string;
}

export interface ScopeState {
  readonly id: ScopeId;
  readonly parent: ScopeId | null;
  /** The parallel instance that opened this scope, and which branch or item it is. */
  readonly parallel?: InstanceKey;
  readonly branch?: number;
  /** for_each: the item and its position, readable in expressions as `item` (or `as`) and `index`. */
  readonly item?: unknown;
  readonly index?: number;
  readonly itemName?: string;
  status: "active" | "joined" | "cancelled";
  /** Output of the branch's last step, collected by the join. */
  result?: unknown;
}

/** A parallel step in progress: which branches or items are open, and what has joined. */
export interface ParallelState {
  readonly instance: InstanceKey;
  readonly total: number;
  /** for_each items not started yet (bounded by `concurrency`). */
  pending: number[];
  running: number[];
  done: number[];
  results: unknown[];
  /** for_each: the items, evaluated once when the parallel step started. */
  readonly items?: readonly unknown[];
}

export interface RunState {
  readonly format: typeof RUN_STATE_FORMAT;
  readonly runId: string;
  readonly workflow: string;
  /** Content hash of the charter version the run executes; it never changes during the run. */
  readonly version: string;
  readonly input: unknown;
  readonly initiator: string;
  readonly startedAt: string;
  /** Engine behaviour flags the run started with (see flags.ts). */
  readonly flags: readonly number[];
  /** The parent run and its workflow-step instance, for child runs. */
  readonly parent?: { readonly runId: string; readonly instance: InstanceKey };
  status: RunStatus;
  endedAt?: string;
  outcome?: string;
  success?: boolean;
  /** Whether the run took longer than `success.within`. */
  slaBreached?: boolean;
  steps: Record<InstanceKey, StepInstance>;
  /** The latest instance of each step per scope: what `steps.<id>` reads. */
  latest: Record<ScopeId, Record<string, InstanceKey>>;
  scopes: Record<ScopeId, ScopeState>;
  parallels: Record<InstanceKey, ParallelState>;
  /** Instances in flight or waiting (not ended), exceptions included. */
  active: InstanceKey[];
  /** Timers started and not yet fired or cancelled, by timer id. */
  timers: Record<string, PendingTimer>;
  /** Transitions applied so far; the store uses it to refuse a stale write. */
  seq: number;
}
