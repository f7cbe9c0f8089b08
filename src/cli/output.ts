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

function summaryLine(diagnostics: readonly Diagnostic[], files: number): string {
  const { errors, warnings } = countBySeverity(diagnostics);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (errors + warnings === 0) return `${plural(files, "file")} checked: no problems`;
  return `${plural(files, "file")} checked: ${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}

/** Every diagnostic on its own line, then the summary: what lint prints, and deploy and docs when they refuse. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], files: number, color = false): string {
  return (
    diagnostics.map((d) => formatDiagnosticLine(d, color) + "\n").join("") +
    summaryLine(diagnostics, files) +
    "\n"
  );
}

/**
 * Codes that mean "understood, and the answer is no": findings and refusals exit 1. Every other
 * Charter error (usage, config, file, not found) means the command could not be carried out: exit 2.
 */
const FINDING_CODES: ReadonlySet<string> = new Set([
  "DEFINITION_INVALID",
  "DOCS_STALE",
  "FORBIDDEN",
  "CONFLICT",
  "INPUT_INVALID",
  "AUDIT_BROKEN",
]);

/** The exit code for a Charter error's code. */
export function exitCodeFor(code: string): number {
  return FINDING_CODES.has(code) ? EXIT.findings : EXIT.usage;
}

/** Report an error thrown while running a command; returns the exit code. */
export function reportError(error: unknown, io: CliIo, command: string): number {
  if (isCharterError(error)) {
    io.stderr(`charter ${command}: ${error.message} [${error.code}]\n`);
    return exitCodeFor(error.code);
  }
  // Not a user error: a bug. Show the stack so that it can be reported.
  io.stderr(
    `charter ${command}: internal error, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 70; // EX_SOFTWARE
}

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string;
}

/**
 * A table with fixed columns: a header, then one line per row, columns two spaces apart and padded
 * to the widest cell (the last one is not padded). The header is dimmed on a terminal only.
 */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[], color = false): string {
  const cells = rows.map((row) => columns.map((column) => oneLine(column.value(row))));
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...cells.map((c) => c[i]!.length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => (i === values.length - 1 ? value : value.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const header = line(columns.map((c) => c.header));
  return [color ? `\u001b[2m${header}\u001b[22m` : header, ...cells.map(line)].join("\n") + "\n";
}

/** A cell is one line: newlines and tabs in user data would break the columns. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ");
}

/** An ISO time as `2025-03-01 09:30:00Z`: shorter, and still UTC and sortable. */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined) return "-";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
}

/** JSON for `--json`: indented, one document, newline-terminated. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/**
 * A word quoted for a POSIX shell only when it needs it, so that printed commands can be pasted:
 * `charter decide t-1 --reason 'looks right'`.
 */
export function shellQuote(word: string): string {
  // `#` may not start a word: the shell would read a comment.
  if (/^[A-Za-z0-9_@%+=:,./-][A-Za-z0-9_@%+=:,./#-]*$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The line after a page that has more: the command that prints the next one. */
export function nextPageLine(next: string | undefined, command: string): string {
  return next === undefined ? "" : `more: ${command} --after ${shellQuote(next)}\n`;
}
