/**
 * The public facade: what the CLI, the API and library users call. `createEngine` wires a store,
 * the registered handlers, a model provider, a directory and a clock to the pure engine core.
 * The runtime is the only place that opens a transaction, calls `transition` and persists it.
 *
 * This file declares the contract; the implementation lives beside it (create-engine.ts).
 */
import type { ChainVerdict } from "../audit/chain.js";
import type { Directory } from "../definition/lint/rule.js";
import type { Charter } from "../definition/schema.js";
import type { EngineOptions } from "../engine/options.js";
import type { RunState } from "../engine/state.js";
import type { ExceptionItem, Page, RunSummary, Store, Task, TaskStatus } from "../store/store.js";

/** Time, injected: tests use a manual clock that only moves when told (see clock.ts). */
export interface Clock {
  now(): Date;
  /**
   * Calls `callback` once `ms` milliseconds have passed on this clock, and returns a function that
   * cancels it. Handler timeouts use it, so a manual clock aborts them when it is advanced.
   * @default real timers (`setTimeout`)
   */
  schedule?(ms: number, callback: () => void): () => void;
}

export interface EngineConfig {
  readonly store: Store;
  /** Handlers by name, as `defineAction` returns them. */
  readonly handlers?: readonly ActionHandler[];
  /** Model provider for `ai` steps. @default the offline provider */
  readonly models?: ModelProvider;
  /** Role members beyond those listed in charters. */
  readonly directory?: Directory;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Identifies this worker in leases and logs. @default host and pid */
  readonly workerId?: string;
  /** Jobs run at once by this worker. @default 8 */
  readonly concurrency?: number;
  /**
   * How long a leased job is this worker's before another may take it. Make it longer than the
   * longest step `timeout`: a handler still running when its lease ends may run again elsewhere
   * (handlers are at least once), and its own result is then refused (fencing). @default 30000
   */
  readonly leaseMs?: number;
  /** The longest `runWorker` waits before it looks for work again. @default 1000 */
  readonly pollIntervalMs?: number;
  /**
   * When `runWorker`'s signal aborts, how long in-flight handlers may take to finish before their
   * AbortSignal is aborted too (their leases then expire and another worker retries them).
   * @default 10000
   */
  readonly shutdownGraceMs?: number;
  /** Limits of the engine core: expression time and size, the default job timeout. */
  readonly limits?: EngineOptions;
  /** Where the worker reports what it cannot hand to a run (pino's signature). @default warnings and errors to stderr */
  readonly logger?: Logger;
}

/** The part of a pino logger the runtime uses: a fields object, then a short lowercase message. */
export interface Logger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A handler that an `action` step calls, declared with `defineAction`. */
export interface ActionHandler<I = unknown, O = unknown> {
  readonly name: string;
  run(input: I, context: ActionContext): Promise<O>;
}

export interface ActionContext {
  /** The same for every retry of the step: make side effects once with it. */
  readonly idempotencyKey: string;
  readonly attempt: number;
  readonly runId: string;
  readonly stepId: string;
  /** Aborted when the step's timeout passes or the worker shuts down. */
  readonly signal: AbortSignal;
}

/** Runs model tasks: the offline provider, or the Vercel AI SDK (later). */
export interface ModelProvider {
  readonly name: string;
  complete(request: ModelRequest): Promise<ModelResponse>;
}

export interface ModelRequest {
  readonly modelTask: string;
  readonly instructions: string;
  readonly model?: string;
  readonly input: unknown;
  readonly outputSchema: Readonly<Record<string, unknown>>;
  readonly signal: AbortSignal;
}

export interface ModelResponse {
  readonly output: unknown;
  readonly confidence: number;
  readonly model: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
}

export interface RunView {
  readonly summary: RunSummary;
  readonly state: RunState;
}

export interface TimelineEntry {
  readonly at: string;
  /** The event applied, or the audit action. */
  readonly what: string;
  readonly actor?: string;
  readonly step?: string;
  readonly detail?: string;
}

export interface Engine {
  /**
   * Store an immutable version, keyed by its content hash; deploying an unchanged charter again is a
   * no-op (`created: false`). A charter with schema or lint errors is refused (DEFINITION_INVALID).
   */
  deploy(charter: Charter, source: string): Promise<{ workflow: string; version: string; created: boolean }>;
  /**
   * Start a run of the latest deployed version. An invalid input goes to `on_invalid`, or is refused
   * (`INPUT_INVALID`, naming the field). A start with a key seen before returns the same run.
   * A workflow that is not deployed is NOT_FOUND.
   */
  start(
    workflow: string,
    options: { input: unknown; as: string; idempotencyKey?: string },
  ): Promise<{ runId: string; created: boolean }>;
  getRun(runId: string): Promise<RunView | undefined>;
  listRuns(filter?: {
    workflow?: string;
    status?: RunSummary["status"];
    after?: string;
    limit?: number;
  }): Promise<Page<RunSummary>>;
  /** Events applied and audit records, in time order. NOT_FOUND for an unknown run. */
  timeline(runId: string): Promise<TimelineEntry[]>;
  /**
   * The inbox: tasks the actor may decide (assigned to them or one of their roles, from the
   * directory and the charters' inline members; not_by exclusions left out). With `as`, `status`
   * defaults to `open`; without it, all tasks are listed.
   */
  listTasks(filter?: {
    as?: string;
    status?: TaskStatus;
    after?: string;
    limit?: number;
  }): Promise<Page<Task>>;
  /**
   * Mark an open task as being worked on by `as`, an assignee not excluded by not_by (FORBIDDEN
   * otherwise); CONFLICT if someone else holds it. Claims are advisory: `decide` does not check them.
   */
  claimTask(taskId: string, as: string): Promise<void>;
  /** Decide a task; a refused decision (FORBIDDEN, CONFLICT, INPUT_INVALID) throws and is audited. */
  decide(
    taskId: string,
    options: { as: string; outcome: string; reason?: string; data?: unknown },
  ): Promise<void>;
  listExceptions(filter?: {
    workflow?: string;
    after?: string;
    limit?: number;
  }): Promise<Page<ExceptionItem>>;
  /** A new attempt of an instance in the exception queue; each operator action needs a reason (CONFLICT). */
  retryException(runId: string, instance: string, options: { as: string; reason: string }): Promise<void>;
  /** Go on at step `to` instead (NOT_FOUND for an unknown step or instance). */
  skipException(
    runId: string,
    instance: string,
    options: { to: string; as: string; reason: string },
  ): Promise<void>;
  /** End a running run as cancelled, and the child runs it waits for. CONFLICT if it has ended. */
  cancelRun(runId: string, options: { as: string; reason: string }): Promise<void>;
  /**
   * Deliver an event to the runs waiting for it by name and correlation key; `delivered` counts the
   * runs it resumed. `data` (default `{}`) becomes the wait step's output. CONFLICT when a run kept
   * changing while it was delivered: send it again (runs that got it no longer wait for it).
   */
  sendEvent(name: string, options: { key: string; data?: unknown }): Promise<{ delivered: number }>;
  /**
   * Run jobs and fire due timers until there is nothing ready at the clock's now, then return how
   * many jobs and timers were handled. With a manual clock, advance it and call again. Throws what
   * the runtime itself failed on (a store error), not what handlers threw (those are step errors).
   */
  runUntilIdle(): Promise<number>;
  /**
   * Work until `signal` aborts: leases jobs (at most `concurrency` at once), fires timers, and waits
   * for the next timer or the poll interval. On abort it stops leasing, lets handlers in flight finish
   * for `shutdownGraceMs`, then aborts their signals; their leases expire and another worker retries.
   */
  runWorker(options: { signal: AbortSignal }): Promise<void>;
  /**
   * Resolves with the run's summary once it has ended (completed or cancelled): at once when this
   * process ends it, through the store's notices when another process does (PostgreSQL), and by
   * looking again every `pollIntervalMs` otherwise. NOT_FOUND for an unknown run; rejects with the
   * signal's reason when `signal` aborts.
   */
  waitForRun(runId: string, options?: { signal?: AbortSignal }): Promise<RunSummary>;
  /** Check the hash chain of one run's audit trail (NOT_FOUND if unknown), or of every run. */
  verifyAudit(runId?: string): Promise<{ runId: string; verdict: ChainVerdict }[]>;
  /**
   * Stop this engine's workers (gracefully) and close the store. Calling it again does nothing;
   * any other method of a closed engine is a CONFLICT. (Every method reports a store failure as STORE.)
   */
  close(): Promise<void>;
}
