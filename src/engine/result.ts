/**
 * What handling one event gave: applied (the draft changed), ignored (a stale or unknown event: no
 * change, no commands), or refused (the caller asked for something not allowed: no change, and only
 * the commands that record the refusal).
 */
import type { Command } from "./commands.js";

export const REFUSAL_CODES = {
  FORBIDDEN: "the actor may not do this (separation of duties, not an assignee)",
  NOT_FOUND: "no such task, step instance or step",
  CONFLICT: "not possible in the run's current state, or a required reason or outcome is missing",
  INPUT_INVALID: "the data does not satisfy its JSON Schema (a run's input, a task's form)",
} as const;
export type RefusalCode = keyof typeof REFUSAL_CODES;

export interface Refusal {
  readonly code: RefusalCode;
  readonly message: string;
  /** The invalid field, as a JSON Pointer (`/total`), for INPUT_INVALID. */
  readonly field?: string;
}

export type Handled =
  | { readonly kind: "applied" }
  | { readonly kind: "ignored" }
  | { readonly kind: "refused"; readonly refusal: Refusal; readonly commands: readonly Command[] };

export const APPLIED: Handled = Object.freeze({ kind: "applied" });
export const IGNORED: Handled = Object.freeze({ kind: "ignored" });

export function refused(refusal: Refusal, commands: readonly Command[] = []): Handled {
  return { kind: "refused", refusal, commands };
}
