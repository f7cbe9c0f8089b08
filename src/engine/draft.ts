/**
 * The transition in progress: a private copy of the run state that step code changes in place, the
 * commands emitted so far, and the fixed inputs (charter, time, options). Only transition.ts creates
 * one, from a copy, so the caller's state is never touched: everything is copied but the step
 * instances, which are copied when first looked up for a change (`ownInstance`).
 */
import type { Charter } from "../definition/schema.js";
import type { Command, CommandOf, CommandType } from "./commands.js";
import type { ResolvedEngineOptions } from "./options.js";
import type { RunState } from "./state.js";

export interface Draft {
  readonly charter: Charter;
  readonly state: RunState;
  readonly now: Date;
  /** `now` as an ISO 8601 string: what every timestamp in the state and the audit reads. */
  readonly at: string;
  readonly options: ResolvedEngineOptions;
  readonly commands: Command[];
  /** Steps entered in this transition, bounded by `maxStepsPerTransition`. */
  entered: number;
  /**
   * The caller's state's instances: a draft instance that is one of them is still shared, and is
   * copied before it changes (ownInstance).
   */
  readonly sharedSteps: RunState["steps"];
}

export function createDraft(
  charter: Charter,
  state: RunState,
  now: Date,
  options: ResolvedEngineOptions,
  sharedSteps: RunState["steps"] = {},
): Draft {
  return { charter, state, now, at: now.toISOString(), options, commands: [], entered: 0, sharedSteps };
}

export function emit<K extends CommandType>(draft: Draft, type: K, fields: Omit<CommandOf<K>, "type">): void {
  draft.commands.push({ type, ...fields } as unknown as Command);
}

/** An ISO time `ms` milliseconds after the transition's `now`. */
export function after(draft: Draft, ms: number): string {
  return new Date(draft.now.getTime() + ms).toISOString();
}
