/**
 * Every error Charter raises has a stable code declared here once; docs/errors.md is generated from
 * this table. Callers branch on `code` (or `isCharterError`), never on message text.
 */
import type { Diagnostic } from "./definition/diagnostic.js";

export const ERROR_CODES = {
  DEFINITION_INVALID: "A charter failed validation or lint; `details.diagnostics` lists each finding.",
  INVALID_OPTION: "An option passed to the library or CLI has a wrong type or value.",
  FILE_NOT_FOUND: "A file named on the command line or in a charter does not exist or cannot be read.",
  USAGE: "The command line is malformed: unknown command, missing argument or bad flag.",
  MODULE_INVALID:
    "A JavaScript or TypeScript module given as a charter could not be loaded, or exports no charter.",
  DOCS_STALE: "Committed docs differ from the docs generated from the charters now (`charter docs --check`).",
  EXPRESSION_TIMEOUT: "An expression ran longer than its time limit (option timeoutMs); look for a loop.",
  EXPRESSION_TOO_DEEP:
    "An expression nested or recursed deeper than its limit (option maxDepth); look for unbounded recursion.",
  EXPRESSION_RESULT_TOO_LARGE:
    "An expression produced a result larger than its limit (option maxResultBytes).",
  EXPRESSION_FAILED:
    "An expression failed while evaluating: a type error, a bad function argument, or a function that is not available.",
  FORBIDDEN:
    "The actor may not do this: excluded by `not_by` (separation of duties), or not an assignee of the task. A refused decision is audited.",
  NOT_FOUND: "No such workflow (not deployed), run, task, step instance or step.",
  CONFLICT:
    "Not possible in the run's current state (ended, task no longer open, claimed by someone else, the run kept changing), or a required reason or a known outcome is missing.",
  INPUT_INVALID:
    "Data does not satisfy its schema: a run's input, a task's form, or an action's input (`defineAction`); `details.field` names the field. As a step error it is not retried.",
  STORE:
    "The store failed, or holds data the runtime cannot use (a charter version whose content does not match its hash).",
  HANDLER_FAILED:
    "Step error: a handler threw an error with no string `code`. Retried per the step's `retry`, then routed by `on_error`.",
  NON_RETRYABLE:
    "Step error: a handler threw `NonRetryableError` without a code. Not retried; routed by `on_error`.",
  HANDLER_NOT_FOUND:
    "Step error: the worker that ran the step has no handler registered under the step's `handler` name. Not retried.",
  OUTPUT_INVALID:
    "Step error: an action's output failed its `defineAction` schema or is not JSON (not retried), or a model's output failed the model task's `output` schema (retried).",
  MODEL_FAILED:
    "Step error: the model provider failed without a string `code`. Retried per the step's `retry`.",
  TIMEOUT:
    "Step error: a handler, model task, child run or wait took longer than the step's `timeout`; the handler's AbortSignal is aborted.",
  WORKFLOW_NOT_FOUND: "Step error: a `workflow` step's child charter is not deployed. Not retried.",
  CHILD_FAILED:
    "Step error: a `workflow` step's child run ended with an unsuccessful outcome that `outcomes` does not route.",
  EXPIRED: "Step error: an approval or task expired and its `expire.goto` is the exception queue.",
  ASSIGNEE_INVALID:
    "Step error: an assignee or escalation expression did not evaluate to `user:<id>` or `role:<id>`.",
  CORRELATION_MISSING: "Step error: a wait's `correlation` expression gave nothing to correlate events on.",
  UNTIL_INVALID:
    "Step error: a wait's `until` expression gave neither an ISO 8601 time nor epoch milliseconds.",
  IDEMPOTENCY_KEY_INVALID: "Step error: an action's `idempotency` expression gave no usable key.",
  NO_ROUTE: "Step error: a step finished but has nowhere to go (no `next` outside a parallel branch).",
  UNKNOWN_STEP: "Step error: a route names a step the charter does not have (the linter refuses this first).",
  ROUTED_TO_EXCEPTION:
    "Step error: a route sent the run to the exception queue on purpose (`goto: exception`).",
  STEP_LIMIT:
    "Step error: one transition entered more steps than `maxStepsPerTransition` (a loop with no wait); the step goes to the exception queue.",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

const CHARTER_ERROR = Symbol.for("charter.error");

export class CharterError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  readonly [CHARTER_ERROR] = true;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** A charter that does not pass validation; carries every diagnostic. */
export class DefinitionError extends CharterError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(message: string, diagnostics: readonly Diagnostic[]) {
    super("DEFINITION_INVALID", message, { details: { diagnostics } });
    this.diagnostics = diagnostics;
  }
}

/** True for any Charter error, even one thrown by another copy of this package. */
export function isCharterError(value: unknown): value is CharterError {
  return (
    typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[CHARTER_ERROR] === true
  );
}

/** Separation of duties or assignment: the actor may not do this (code `FORBIDDEN`). */
export class ForbiddenError extends CharterError {
  constructor(message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super("FORBIDDEN", message, options);
  }
}

/** No such workflow, run, task, instance or step (code `NOT_FOUND`). */
export class NotFoundError extends CharterError {
  constructor(message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super("NOT_FOUND", message, options);
  }
}

/** Not possible in the current state, or a required reason is missing (code `CONFLICT`). */
export class ConflictError extends CharterError {
  constructor(message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super("CONFLICT", message, options);
  }
}

/** Data that fails its schema (code `INPUT_INVALID`); `field` is a JSON Pointer such as `/total`. */
export class InputInvalidError extends CharterError {
  readonly field: string | undefined;

  constructor(
    message: string,
    options: { field?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    const { field, ...rest } = options;
    super("INPUT_INVALID", message, {
      ...rest,
      details: { ...(field === undefined ? {} : { field }), ...rest.details },
    });
    this.field = field;
  }
}

/** The store failed, or holds data the runtime cannot use (code `STORE`). */
export class StoreError extends CharterError {
  constructor(message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super("STORE", message, options);
  }
}
