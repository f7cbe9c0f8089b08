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
import type { RunState } from "../engine/state.js";
import type { ExceptionItem, Page, RunSummary, Store, Task, TaskStatus } from "../store/store.js";

/** Time, injected: tests use a manual clock that only moves when told. */
export interface Clock {
  now(): Date;
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
  /** How long a leased job is this worker's before another may take it. @default 30000 */
  readonly leaseMs?: number;
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
  /** Store an immutable version; deploying an unchanged charter again is a no-op (`created: false`). */
  deploy(charter: Charter, source: string): Promise<{ workflow: string; version: string; created: boolean }>;
  /**
   * Start a run of the latest deployed version. An invalid input goes to `on_invalid`, or is refused
   * (`INPUT_INVALID`, naming the field). A start with a key seen before returns the same run.
   */
  start(workflow: string, options: { input: unknown; as: string; idempotencyKey?: string }): Promise<{ runId: string; created: boolean }>;
  getRun(runId: string): Promise<RunView | undefined>;
  listRuns(filter?: { workflow?: string; status?: RunSummary["status"]; after?: string; limit?: number }): Promise<Page<RunSummary>>;
  timeline(runId: string): Promise<TimelineEntry[]>;
  /** The inbox: open tasks the actor may decide (directly, or through a role). */
  listTasks(filter?: { as?: string; status?: TaskStatus; after?: string; limit?: number }): Promise<Page<Task>>;
  claimTask(taskId: string, as: string): Promise<void>;
  /** Decide a task; a refused decision (FORBIDDEN, CONFLICT, INPUT_INVALID) throws and is audited. */
  decide(taskId: string, options: { as: string; outcome: string; reason?: string; data?: unknown }): Promise<void>;
  listExceptions(filter?: { workflow?: string; after?: string; limit?: number }): Promise<Page<ExceptionItem>>;
  retryException(runId: string, instance: string, options: { as: string; reason: string }): Promise<void>;
  skipException(runId: string, instance: string, options: { to: string; as: string; reason: string }): Promise<void>;
  cancelRun(runId: string, options: { as: string; reason: string }): Promise<void>;
  /** Deliver an event to the runs waiting for it by name and correlation key. */
  sendEvent(name: string, options: { key: string; data?: unknown }): Promise<{ delivered: number }>;
  /** Run jobs and fire due timers until there is nothing ready (now), then return how much was done. */
  runUntilIdle(): Promise<number>;
  /** Work until `signal` aborts: leases jobs, fires timers, waits for more without holding runs. */
  runWorker(options: { signal: AbortSignal }): Promise<void>;
  verifyAudit(runId?: string): Promise<{ runId: string; verdict: ChainVerdict }[]>;
  close(): Promise<void>;
}
