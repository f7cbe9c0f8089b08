/** A finding about a charter, positioned in its source when it has one. */
export type Severity = "error" | "warning";

/** A location in the charter value: object keys and array indexes from the root. */
export type ValuePath = readonly (string | number)[];

export interface Diagnostic {
  /** Stable rule id, e.g. `ai-authority/ungated-irreversible`; documented under docs/rules/. */
  readonly ruleId: string;
  readonly severity: Severity;
  /** One line: names the thing, says what was expected and how to fix it. */
  readonly message: string;
  /** The file the charter came from (or a module path / `<inline>` for TypeScript charters). */
  readonly file: string;
  /** 1-based line and column; absent when the charter has no source text (TypeScript). */
  readonly line?: number;
  readonly col?: number;
  readonly endLine?: number;
  readonly endCol?: number;
  /** Where in the charter value the finding is, e.g. ["steps", "route", "rules", 0, "when"]. */
  readonly path: ValuePath;
}

/** A finding before it is placed in a file: rules produce these and stay free of source positions. */
export interface Finding {
  readonly ruleId: string;
  readonly message: string;
  readonly path: ValuePath;
  /** Point at the key of the last path segment rather than its value (e.g. an unknown field). */
  readonly atKey?: boolean;
  /** Offset inside the scalar at `path` (an expression's own error position), 0-based. */
  readonly offset?: number;
  readonly severity?: Severity;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Source order, then rule id: stable output whatever order the rules ran in. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.file.localeCompare(b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.col ?? 0) - (b.col ?? 0) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.message.localeCompare(b.message)
  );
}
