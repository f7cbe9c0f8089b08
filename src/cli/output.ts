/**
 * Formatting for the terminal and for machines. The only place that turns diagnostics and errors
 * into text, and errors into exit codes (no stack trace for anything a user can cause).
 */
import type { Diagnostic } from "../definition/diagnostic.js";
import { formatPath } from "../definition/validate.js";
import { isCharterError } from "../errors.js";
import type { CliIo } from "./io.js";
import { EXIT } from "./io.js";

export const OUTPUT_FORMATS = ["text", "json"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `file:line:col  severity  message  rule-id`, one per line, as ESLint's compact formats read. */
export function formatDiagnosticLine(d: Diagnostic, color = false): string {
  // A charter built in code has no lines: name the field instead (`refund.ts:steps.pay.timeout`).
  const where =
    d.line !== undefined
      ? `${d.file}:${d.line}:${d.col ?? 1}`
      : d.path.length > 0
        ? `${d.file}:${formatPath(d.path)}`
        : d.file;
  const severity = color
    ? d.severity === "error"
      ? `\u001b[31merror\u001b[39m`
      : `\u001b[33mwarning\u001b[39m`
    : d.severity;
  const rule = color ? `\u001b[2m${d.ruleId}\u001b[22m` : d.ruleId;
  return `${where}  ${severity}  ${d.message}  ${rule}`;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { errors, warnings: diagnostics.length - errors };
}

export function summaryLine(diagnostics: readonly Diagnostic[], files: number): string {
  const { errors, warnings } = countBySeverity(diagnostics);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (errors + warnings === 0) return `${plural(files, "file")} checked: no problems`;
  return `${plural(files, "file")} checked: ${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}

/** Report an error thrown while running a command; returns the exit code. */
export function reportError(error: unknown, io: CliIo, command: string): number {
  if (isCharterError(error)) {
    io.stderr(`charter ${command}: ${error.message} [${error.code}]\n`);
    return error.code === "DEFINITION_INVALID" || error.code === "DOCS_STALE" ? EXIT.findings : EXIT.usage;
  }
  // Not a user error: a bug. Show the stack so that it can be reported.
  io.stderr(
    `charter ${command}: internal error, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 70; // EX_SOFTWARE
}
