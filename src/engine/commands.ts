/**
 * What the runtime must do after a transition: imperative, kebab-case, declared once as a map. The
 * runtime persists these in the same transaction as the new state, then carries them out; it has
 * exactly one handler per command type.
 *
 * Ids (jobs, timers, tasks, subscriptions, child runs) are derived from the run id and the step
 * instance, never random: replaying a run gives the same ids, and a retried write is idempotent.
 */
import type { ModelCall } from "./events.js";
import type { InstanceKey } from "./state.js";

/** An append-only audit fact; the store chains it (hash of the previous record) when it writes it. */
export interface AuditEntry {
  /** `user:<id>`, `ai:<model>`, `rule:<step>` or `system`. */
  readonly actor: string;
  /** What happened, e.g. `run.started`, `step.succeeded`, `approval.decided`, `decision.refused`. */
  readonly action: string;
  readonly step?: string;
  readonly instance?: InstanceKey;
  readonly reason?: string;
  readonly policy?: string;
  /** SHA-256 of the canonical JSON of the data decided on (input, shown outputs, proposal). */
  readonly dataHash?: string;
  readonly at: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface CommandMap {
  "run-handler": {
    jobId: string;
    instance: InstanceKey;
    stepId: string;
    handler: string;
    input: unknown;
    attempt: number;
    idempotencyKey: string;
    timeoutMs: number;
  };
  "run-model-task": {
    jobId: string;
    instance: InstanceKey;
    stepId: string;
    modelTask: string;
    input: unknown;
    attempt: number;
    timeoutMs: number;
  };
  "start-timer": { timerId: string; instance?: InstanceKey; fireAt: string };
  "cancel-timer": { timerId: string };
  "open-task": {
    taskId: string;
    instance: InstanceKey;
    stepId: string;
    kind: "approval" | "task";
    title: string;
    assignees: readonly string[];
    /** Actors excluded by not_by, resolved when the task opened (initiator, earlier deciders). */
    excluded: readonly string[];
    outcomes: readonly string[];
    requireReason: boolean;
    dueAt: string;
    form?: Readonly<Record<string, unknown>>;
    /** The data shown to the person, resolved from `shows`. */
    shows: Readonly<Record<string, unknown>>;
    instructions?: string;
  };
  "update-task": { taskId: string; assignees: readonly string[] };
  "close-task": { taskId: string; status: "decided" | "expired" | "cancelled" };
  "subscribe-event": { subscriptionId: string; instance: InstanceKey; name: string; key: string };
  "unsubscribe-event": { subscriptionId: string };
  /** Start a run of the latest deployed version of `workflow`, with `parent` set to this run. */
  "start-child-run": {
    childRunId: string;
    instance: InstanceKey;
    workflow: string;
    input: unknown;
    /** The parent run's initiator: separation of duties carries into the child. */
    initiator: string;
  };
  /** Cancel a child run that this run no longer waits for (sibling cancelled, timed out, run cancelled). */
  "cancel-child-run": { childRunId: string; reason: string };
  "notify-parent": { parentRunId: string; instance: InstanceKey; outcome: string; success: boolean };
  /** A failure with no route: the step waits in the exception queue. */
  "raise-exception": { instance: InstanceKey; stepId: string; error: { code: string; message: string } };
  "resolve-exception": { instance: InstanceKey };
  "append-audit": { entry: AuditEntry; call?: ModelCall };
  "complete-run": { outcome: string; success: boolean; slaBreached: boolean };
}

export type CommandType = keyof CommandMap;
export type Command = { [K in CommandType]: { type: K } & CommandMap[K] }[CommandType];
export type CommandOf<K extends CommandType> = Extract<Command, { type: K }>;
