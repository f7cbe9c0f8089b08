/**
 * Carrying out the outbox: what the store cannot do inside the issuing run's transaction, because
 * it changes another run. One handler per outbox command type. Each is idempotent: a child run's id
 * is derived from its parent (createRun with an existing id is a no-op), and a `child.ended` or
 * `run.cancelled` that comes twice is ignored or refused by the engine the second time.
 */
import type { CommandOf } from "../engine/commands.js";
import type { EngineEvent } from "../engine/events.js";
import { startRun } from "../engine/transition.js";
import { ConflictError } from "../errors.js";
import { applyEvent, createRun } from "./commit.js";
import type { OutboxCommand, Runtime } from "./context.js";

type Effects = {
  readonly [K in OutboxCommand["type"]]: (rt: Runtime, runId: string, command: CommandOf<K>) => Promise<void>;
};

const EFFECTS: Effects = {
  "start-child-run": startChild,
  "cancel-child-run": async (rt, _runId, command) => {
    // A child that does not exist yet is cancelled by startChild, which checks its parent after creating it.
    await deliver(rt, command.childRunId, { type: "run.cancelled", by: "system", reason: command.reason });
  },
  "notify-parent": async (rt, runId, command) => {
    await deliver(rt, command.parentRunId, {
      type: "child.ended",
      instance: command.instance,
      childRunId: runId,
      outcome: command.outcome,
      success: command.success,
    });
  },
};

export function carryOut(rt: Runtime, runId: string, command: OutboxCommand): Promise<void> {
  const effect = EFFECTS[command.type] as (
    rt: Runtime,
    runId: string,
    command: OutboxCommand,
  ) => Promise<void>;
  return effect(rt, runId, command);
}

/**
 * Start the latest deployed version of the child workflow, with `parent` set. Not deployed, or an
 * input it refuses: the parent gets `child.failed` (WORKFLOW_NOT_FOUND, INPUT_INVALID).
 */
async function startChild(
  rt: Runtime,
  parentRunId: string,
  command: CommandOf<"start-child-run">,
): Promise<void> {
  if (!(await parentWaits(rt, parentRunId, command))) return;
  const latest = await rt.charters.latest(command.workflow);
  if (!latest)
    return childFailed(rt, parentRunId, command, {
      code: "WORKFLOW_NOT_FOUND",
      message: `workflow "${command.workflow}" is not deployed`,
      details: { workflow: command.workflow },
    });
  const now = rt.config.clock.now();
  const event = {
    type: "run.started" as const,
    runId: command.childRunId,
    input: command.input,
    initiator: command.initiator,
    parent: { runId: parentRunId, instance: command.instance },
  };
  const started = await startRun(latest.charter, latest.version, event, now, rt.config.limits);
  if (!started.state)
    return childFailed(rt, parentRunId, command, {
      code: started.refusal.code,
      message: `the child run of "${command.workflow}" could not start: ${started.refusal.message}`,
      details: {
        workflow: command.workflow,
        ...(started.refusal.field ? { field: started.refusal.field } : {}),
      },
    });
  await createRun(rt, { state: started.state, event, commands: started.commands, at: now.toISOString() });
  // The parent may have stopped waiting while the child was created; its cancel found no child then.
  if (!(await parentWaits(rt, parentRunId, command)))
    await deliver(rt, command.childRunId, {
      type: "run.cancelled",
      by: "system",
      reason: "the parent run no longer waits for this child run",
    });
}

async function childFailed(
  rt: Runtime,
  parentRunId: string,
  command: CommandOf<"start-child-run">,
  error: { code: string; message: string; details: Record<string, unknown> },
): Promise<void> {
  await deliver(rt, parentRunId, {
    type: "child.failed",
    instance: command.instance,
    childRunId: command.childRunId,
    error: { ...error, retryable: false },
  });
}

/**
 * Applies an event to another run. Ignored, refused (a run that has ended) or missing is done; one
 * that kept losing the race with other writers throws, so the outbox job stays and is retried.
 */
async function deliver(rt: Runtime, runId: string, event: EngineEvent): Promise<void> {
  const outcome = await applyEvent(rt, runId, event, { kind: "internal" });
  if (outcome.kind === "stale")
    throw new ConflictError(`run "${runId}" kept changing while ${event.type} was delivered`, {
      details: { runId, event: event.type },
    });
}

async function parentWaits(
  rt: Runtime,
  parentRunId: string,
  command: CommandOf<"start-child-run">,
): Promise<boolean> {
  const parent = await rt.config.store.getRun(parentRunId);
  const instance = parent?.state.steps[command.instance];
  return (
    parent?.state.status === "running" &&
    instance?.status === "running" &&
    instance.childRunId === command.childRunId
  );
}
