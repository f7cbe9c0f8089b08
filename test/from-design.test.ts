/**
 * Charters written by someone else from DESIGN.md alone (test/fixtures/charters/from-design/): the
 * good ones must lint clean, and each bad one must fail with an error of the family DESIGN.md names,
 * at the line its `# expect: <family>` comment marks.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expectedMarkers, lintText } from "./helpers/charters.js";

const dir = fileURLToPath(new URL("./fixtures/charters/from-design/", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
const good = files.filter((f) => f.startsWith("good-"));
const bad = files.filter((f) => f.startsWith("bad-"));

describe("charters written from DESIGN.md alone", () => {
  it.each(good)("%s lints clean", (file) => {
    const diagnostics = lintText(readFileSync(dir + file, "utf8"), file);
    expect(diagnostics.map((d) => `${d.line}:${d.col} ${d.severity} ${d.ruleId} ${d.message}`)).toEqual([]);
  });

  it.each(bad)("%s fails with the family DESIGN.md names, where it marks", (file) => {
    const text = readFileSync(dir + file, "utf8");
    const errors = lintText(text, file).filter((d) => d.severity === "error");
    const markers = expectedMarkers(text);
    expect(markers.length).toBeGreaterThan(0);
    for (const marker of markers) {
      const found = errors.some((d) => d.ruleId.startsWith(`${marker.ruleId}/`) && d.line === marker.line);
      expect(
        found,
        `${marker.ruleId} at line ${marker.line}; got ${errors.map((d) => `${d.line} ${d.ruleId}`).join(", ")}`,
      ).toBe(true);
    }
  });
});
