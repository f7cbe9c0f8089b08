/**
 * The engine core: `transition(charter, state, event, now) -> { state, commands }`, pure and
 * deterministic given its arguments (async only because JSONata evaluates asynchronously). The
 * input state is never changed: the transition works on a deep copy. A stale or unknown event gives
 * back the same state with no commands; a refused one gives back the same state, the refusal, and
 * only the commands that record it.
 */
import type { Charter } from "../definition/schema.js";
import { audit } from "./audit.js";
import { cloneStateSharingSteps } from "./clone-state.js";
import type { Command } from "./commands.js";
import type { Draft } from "./draft.js";
import { createDraft } from "./draft.js";
import type { EngineEvent, EventOf, EventType } from "./events.js";
import { CURRENT_FLAGS } from "./flags.js";
import { checkSchema } from "./json-schema.js";
import { onTimerFired } from "./on-timer.js";
import { onExceptionRetried, onExceptionSkipped, onRunCancelled } from "./operator.js";
import type { EngineOptions, ResolvedEngineOptions } from "./options.js";
import { resolveEngineOptions } from "./options.js";
import type { Handled, Refusal } from "./result.js";
import { refused } from "./result.js";
import { enterStep } from "./routing.js";
import type { RunState } from "./state.js";
import { ROOT_SCOPE, RUN_STATE_FORMAT } from "./state.js";
import { onHandlerFailed, onHandlerSucceeded } from "./steps/action.js";
import { onModelFailed, onModelSucceeded } from "./steps/ai.js";
import { onTaskDecided } from "./steps/decide.js";
import { onEventReceived } from "./steps/wait.js";
import { onChildEnded, onChildFailed } from "./steps/workflow.js";

export type { Refusal, RefusalCode } from "./result.js";

export interface TransitionResult {
  /** The new state (seq + 1), or the same state when the event was ignored or refused. */
  readonly state: RunState;
  readonly commands: readonly Command[];
  readonly refusal?: Refusal;
}

/** A run that started, or an input refused (`on_invalid: reject`): no run, no state. */
export type StartResult =
  | (TransitionResult & { readonly refusal?: undefined })
  | { readonly state: undefined; readonly commands: readonly Command[]; readonly refusal: Refusal };

type RunStarted = EventOf<"run.started">;
type Handler<K extends EventType> = (draft: Draft, event: EventOf<K>) => Promise<Handled>;

const HANDLERS: { readonly [K in EventType]: Handler<K> } = {
  "run.started": async () => refused({ code: "CONFLICT", message: "the run has already started" }),
  "handler.succeeded": onHandlerSucceeded,
  "handler.failed": onHandlerFailed,
  "model.succeeded": onModelSucceeded,
  "model.failed": onModelFailed,
  "timer.fired": onTimerFired,
  "task.decided": onTaskDecided,
  "event.received": onEventReceived,
  "child.ended": onChildEnded,
  "child.failed": onChildFailed,
  "exception.retried": onExceptionRetried,
  "exception.skipped": onExceptionSkipped,
  "run.cancelled": onRunCancelled,
};

/** Events a person or an operator sends: on an ended run they are refused, not silently dropped. */
const REQUESTS: ReadonlySet<EventType> = new Set([
  "task.decided",
  "exception.retried",
  "exception.skipped",
  "run.cancelled",
]);

/** The state of a run before its first step: nothing entered yet, seq 0. */
export function initialState(charter: Charter, version: string, event: RunStarted, now: Date): RunState {
  return {
    format: RUN_STATE_FORMAT,
    runId: event.runId,
    workflow: charter.workflow,
    version,
    input: event.input,
    initiator: event.initiator,
    startedAt: now.toISOString(),
    flags: [...CURRENT_FLAGS],
    ...(event.parent ? { parent: { ...event.parent } } : {}),
    status: "running",
    steps: {},
    latest: { [ROOT_SCOPE]: {} },
    scopes: { [ROOT_SCOPE]: { id: ROOT_SCOPE, parent: null, status: "active" } },
    parallels: {},
    active: [],
    timers: {},
    seq: 0,
  };
}

/**
 * Starts a run: validates the input against `input.schema`, then enters `start` (or, for an invalid
 * input, the `on_invalid` step). With `on_invalid: reject` an invalid input is refused with
 * INPUT_INVALID naming the field, and there is no run.
 */
export async function startRun(
  charter: Charter,
  version: string,
  event: RunStarted,
  now: Date,
  options: EngineOptions | ResolvedEngineOptions = {},
): Promise<StartResult> {
  const schema = charter.input?.schema;
  const check = schema === undefined ? ({ ok: true } as const) : checkSchema(charter, schema, event.input);
  const onInvalid = charter.input?.on_invalid ?? "reject";
  if (!check.ok && onInvalid === "reject")
    return {
      state: undefined,
      commands: [],
      refusal: {
        code: "INPUT_INVALID",
        message: `the run's input is invalid: ${check.message}`,
        field: check.field,
      },
    };
  const draft = createDraft(
    charter,
    initialState(charter, version, event, now),
    now,
    resolveEngineOptions(options),
  );
  audit(draft, {
    actor: event.initiator,
    action: "run.started",
    data: event.input,
    details: {
      workflow: charter.workflow,
      version,
      ...(check.ok ? {} : { invalid: check.message, field: check.field }),
    },
  });
  await enterStep(draft, check.ok ? charter.start : onInvalid, ROOT_SCOPE);
  draft.state.seq += 1;
  return { state: draft.state, commands: draft.commands };
}

/** Applies one event to a run. */
export async function transition(
  charter: Charter,
  state: RunState,
  event: EngineEvent,
  now: Date,
  options: EngineOptions | ResolvedEngineOptions = {},
): Promise<TransitionResult> {
  if (state.status !== "running") {
    if (!REQUESTS.has(event.type)) return { state, commands: [] };
    return {
      state,
      commands: [],
      refusal: { code: "CONFLICT", message: `the run has ended (${state.status})` },
    };
  }
  const copy = cloneStateSharingSteps(state);
  const draft = createDraft(charter, copy, now, resolveEngineOptions(options), state.steps);
  const handled = await dispatch(draft, event);
  if (handled.kind === "ignored") return { state, commands: [] };
  if (handled.kind === "refused") return { state, commands: handled.commands, refusal: handled.refusal };
  draft.state.seq += 1;
  return { state: draft.state, commands: draft.commands };
}

function dispatch<K extends EventType>(draft: Draft, event: EventOf<K>): Promise<Handled> {
  const handler = HANDLERS[event.type as K] as Handler<K>;
  return handler(draft, event);
}
