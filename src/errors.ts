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
