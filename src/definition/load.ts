/**
 * Text -> Charter: parse with positions, validate against the schema, and place every finding at
 * `file:line:col`. The linter runs on the result; `loadCharter` alone reports syntax and schema errors.
 */
import type { Diagnostic, Finding } from "./diagnostic.js";
import { compareDiagnostics } from "./diagnostic.js";
import type { DefinitionLimits } from "./limits.js";
import { resolveDefinitionLimits } from "./limits.js";
import type { SourceMap } from "./parse.js";
import { NO_SOURCE, parseCharterText } from "./parse.js";
import type { Charter } from "./schema.js";
import { validateCharterValue } from "./validate.js";
import { guardValue } from "./value-guard.js";

export interface LoadedCharter {
  file: string;
  /**
   * The validated charter, or undefined when the text or the schema had errors. When the only schema
   * errors are unknown fields, it is the charter without them, so that lint reports the rest too:
   * check `hasErrors(diagnostics)` before running or documenting it.
   */
  charter: Charter | undefined;
  /** The raw value (useful for tools), undefined when the text did not parse. */
  value: unknown;
  source: SourceMap;
  diagnostics: Diagnostic[];
}

export function loadCharter(
  text: string | Uint8Array,
  file: string,
  limits: DefinitionLimits = {},
): LoadedCharter {
  const resolved = resolveDefinitionLimits(limits);
  const parsed = parseCharterText(text, resolved);
  const syntax: Diagnostic[] = parsed.syntaxFindings.map((f) => {
    const position = parsed.source.locateOffset(f.offset);
    return { ruleId: f.ruleId, severity: "error", message: f.message, file, path: [], ...position };
  });
  if (parsed.value === undefined) {
    return {
      file,
      charter: undefined,
      value: undefined,
      source: parsed.source,
      diagnostics: syntax.sort(compareDiagnostics),
    };
  }
  const result = loadCharterValue(parsed.value, file, parsed.source, limits);
  const diagnostics = [...syntax, ...result.diagnostics].sort(compareDiagnostics);
  // A charter with duplicate keys is not accepted, even if the last value of each key would be valid.
  return {
    ...result,
    charter: syntax.length > 0 ? undefined : result.charter,
    value: parsed.value,
    diagnostics,
  };
}

/** Validate an already-parsed value (a JSON object, or a TypeScript `defineWorkflow` object). */
export function loadCharterValue(
  value: unknown,
  file: string,
  source: SourceMap = NO_SOURCE,
  limits: DefinitionLimits = {},
): LoadedCharter {
  const guarded = guardValue(value, resolveDefinitionLimits(limits).maxDepth);
  if (guarded.length > 0) {
    return { file, charter: undefined, value, source, diagnostics: placeFindings(guarded, file, source) };
  }
  const { charter, findings } = validateCharterValue(value);
  return { file, charter, value, source, diagnostics: placeFindings(findings, file, source) };
}

export function placeFindings(findings: readonly Finding[], file: string, source: SourceMap): Diagnostic[] {
  return findings
    .map((f): Diagnostic => {
      const position = source.locate(f.path, { atKey: f.atKey, offset: f.offset });
      return {
        ruleId: f.ruleId,
        severity: f.severity ?? "error",
        message: f.message,
        file,
        path: f.path,
        ...position,
      };
    })
    .sort(compareDiagnostics);
}
