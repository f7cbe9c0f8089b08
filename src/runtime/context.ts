/**
 * What every part of the runtime shares: the resolved config, the charter versions, a waker that
 * tells local workers there is new work, and the function that carries out outbox commands (set by
 * createEngine, so that committing and carrying out do not import each other).
 */
import type { CommandOf } from "../engine/commands.js";
import type { Charters } from "./charters.js";
import type { ResolvedEngineConfig } from "./options.js";
import type { Waker } from "./waker.js";

/** Commands that act on another run: carried out after the commit, through the outbox. */
export type OutboxCommand = CommandOf<"start-child-run" | "cancel-child-run" | "notify-parent">;

export interface Runtime {
  readonly config: ResolvedEngineConfig;
  readonly charters: Charters;
  readonly waker: Waker;
  /** Carries out one outbox command of run `runId`; idempotent, so it may run more than once. */
  readonly carryOut: (runId: string, command: OutboxCommand) => Promise<void>;
}
