/**
 * What happened to a run: the only input of the engine core. Past tense, dotted. Declared once as a
 * map; the union is derived, so every handler of events is exhaustive.
 */
import type { InstanceKey, StepError } from "./state.js";

/** Recorded with a model call: what the audit trail keeps about every AI call. */
export interface ModelCall {
  readonly provider: string;
  readonly model: string;
  readonly instructionsHash: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly latencyMs: number;
}

export interface EventMap {
  /** A run begins. The runtime has already refused an invalid input when on_invalid is `reject`. */
  "run.started": {
    input: unknown;
    initiator: string;
    runId: string;
    parent?: { runId: string; instance: InstanceKey };
  };
  "handler.succeeded": { instance: InstanceKey; attempt: number; output: unknown };
  "handler.failed": { instance: InstanceKey; attempt: number; error: StepError };
  "model.succeeded": {
    instance: InstanceKey;
    attempt: number;
    output: unknown;
    confidence: number;
    call: ModelCall;
  };
  "model.failed": { instance: InstanceKey; attempt: number; error: StepError; call?: ModelCall };
  "timer.fired": { timerId: string };
  /**
   * A person decides an approval or submits a task. `roles` are the actor's roles when they acted
   * (resolved from the directory by the runtime, so that a replay gives the same result).
   */
  "task.decided": {
    taskId: string;
    by: string;
    roles: readonly string[];
    outcome: string;
    reason?: string;
    data?: unknown;
  };
  /** An event delivered to runs waiting for it (`charter event NAME`). */
  "event.received": { name: string; key: string; data: unknown };
  /** A child run started by a workflow step has ended. */
  "child.ended": { instance: InstanceKey; childRunId: string; outcome: string; success: boolean };
  /** A child run could not start, e.g. `WORKFLOW_NOT_FOUND` when the child charter is not deployed. */
  "child.failed": { instance: InstanceKey; childRunId: string; error: StepError };
  /** Operator actions on the exception queue; each needs a reason. */
  "exception.retried": { instance: InstanceKey; by: string; reason: string };
  "exception.skipped": { instance: InstanceKey; to: string; by: string; reason: string };
  "run.cancelled": { by: string; reason: string };
}

export type EventType = keyof EventMap;
export type EngineEvent = { [K in EventType]: { type: K } & EventMap[K] }[EventType];
export type EventOf<K extends EventType> = Extract<EngineEvent, { type: K }>;
