/**
 * Broken charters under test/fixtures/charters/bad/: each marks the lines its diagnostics must point
 * at with `# expect: rule-id` (or `rule-id@col`). Every marker must be matched, and every error
 * reported must be marked, so a fixture pins both the rule and its position. A fixture that needs
 * lint options (registered handlers) says so in a `# lint-options: {"handlers": [...]}` line.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { LintOptions } from "../src/definition/lint/rule.js";
import { expectedMarkers, lintText } from "./helpers/charters.js";

const dir = fileURLToPath(new URL("./fixtures/charters/bad/", import.meta.url));
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));

function lintOptionsOf(text: string): LintOptions {
  const line = /^#\s*lint-options:\s*(.+)$/m.exec(text);
  return line ? (JSON.parse(line[1]!) as LintOptions) : {};
}

describe.each(files)("bad charter %s", (file) => {
  const text = readFileSync(dir + file, "utf8");
  const markers = expectedMarkers(text);
  const options = lintOptionsOf(text);

  it("declares what it expects", () => {
    expect(markers.length).toBeGreaterThan(0);
  });

  it("reports each expected rule at its line", () => {
    const found = lintText(text, file, options).map((d) => ({ ruleId: d.ruleId, line: d.line, col: d.col }));
    for (const marker of markers) {
      const match = found.find(
        (d) =>
          d.ruleId === marker.ruleId &&
          d.line === marker.line &&
          (marker.col === undefined || d.col === marker.col),
      );
      expect(
        match,
        `${marker.ruleId} at ${file}:${marker.line}${marker.col ? `:${marker.col}` : ""}; found ${JSON.stringify(found)}`,
      ).toBeDefined();
    }
  });

  it("reports no error it does not expect", () => {
    const unexpected = lintText(text, file, options).filter(
      (d) => d.severity === "error" && !markers.some((m) => m.ruleId === d.ruleId && m.line === d.line),
    );
    expect(unexpected).toEqual([]);
  });
});
