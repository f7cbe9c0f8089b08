/** Builders for charters in tests: the minimal valid charter, and lint over YAML text. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import type { Diagnostic } from "../../src/definition/diagnostic.js";
import type { LintOptions } from "../../src/definition/lint/rule.js";
import { lintLoadedCharter } from "../../src/definition/lint/lint.js";
import { loadCharter } from "../../src/definition/load.js";

export const MINIMAL_PATH = fileURLToPath(new URL("../fixtures/charters/minimal.yaml", import.meta.url));
export const MINIMAL_YAML = readFileSync(MINIMAL_PATH, "utf8");
/** The minimal charter plus a role and a model task: what rule examples start from. */
export const EXAMPLE_BASE_YAML = readFileSync(
  new URL("../fixtures/charters/example-base.yaml", import.meta.url),
  "utf8",
);

/** Parse, validate and lint a YAML (or JSON) text. */
export function lintText(text: string, file = "test.yaml", options: LintOptions = {}): Diagnostic[] {
  return lintLoadedCharter(loadCharter(text, file), options);
}

/** The example base charter with some top-level fields replaced (YAML text of those fields). */
export function withFields(overrides: string): string {
  const base = parse(EXAMPLE_BASE_YAML) as Record<string, unknown>;
  const patch = (parse(overrides) ?? {}) as Record<string, unknown>;
  return stringify({ ...base, ...patch }, { lineWidth: 0 });
}

/** Rule ids found, for compact assertions: `expect(ruleIds(d)).toContain("scale/idempotency")`. */
export function ruleIds(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.ruleId);
}

/**
 * Expected findings written in a fixture as comments: `# expect: rule-id` at the end of the line
 * the diagnostic must point at (optionally `rule-id@col`).
 */
export function expectedMarkers(text: string): { ruleId: string; line: number; col?: number }[] {
  const markers: { ruleId: string; line: number; col?: number }[] = [];
  text.split("\n").forEach((line, i) => {
    const match = /#\s*expect:\s*(.+)$/.exec(line);
    if (!match) return;
    for (const item of match[1]!
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [ruleId, col] = item.split("@");
      markers.push({ ruleId: ruleId!, line: i + 1, ...(col ? { col: Number(col) } : {}) });
    }
  });
  return markers;
}
