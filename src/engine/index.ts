/** The engine core's API for the runtime: the transition, its options, and the types it trades in. */
export { initialState, startRun, transition } from "./transition.js";
export type { StartResult, TransitionResult } from "./transition.js";
export { REFUSAL_CODES } from "./result.js";
export type { Refusal, RefusalCode } from "./result.js";
export { DEFAULT_ENGINE_OPTIONS, resolveEngineOptions } from "./options.js";
export type { EngineOptions, ResolvedEngineOptions } from "./options.js";
export { retryDelayMs } from "./retry.js";
export type { RetryPolicy } from "./retry.js";
export { dataHash } from "./audit.js";
export { CURRENT_FLAGS } from "./flags.js";
export { ROOT_SCOPE, RUN_STATE_FORMAT, RUN_STATUSES, STEP_STATUSES, TIMER_PURPOSES } from "./state.js";
export type {
  Decision,
  InstanceKey,
  ParallelState,
  PendingTimer,
  RunState,
  RunStatus,
  ScopeId,
  ScopeState,
  StepError,
  StepInstance,
  StepStatus,
  TimerPurpose,
} from "./state.js";
export type { EngineEvent, EventMap, EventOf, EventType, ModelCall } from "./events.js";
export type { AuditEntry, Command, CommandMap, CommandOf, CommandType } from "./commands.js";
