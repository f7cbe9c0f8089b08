import { describe, expect, it } from "vitest";
import { largeCharterYaml } from "../../../../../test/helpers/large-charter.js";
import { lintText, MINIMAL_YAML } from "../../../../../test/helpers/charters.js";
import { loadCharter } from "../../../load.js";
import type { Charter } from "../../../schema.js";
import { lintCharter } from "../../lint.js";
import { definedRules } from "./index.js";

function charterOf(text: string): Charter {
  const loaded = loadCharter(text, "child.yaml");
  if (!loaded.charter) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.charter;
}

describe("defined rules", () => {
  it("leave the minimal charter without errors", () => {
    expect(
      lintText(MINIMAL_YAML).filter((d) => d.ruleId.startsWith("defined/") && d.severity === "error"),
    ).toEqual([]);
  });

  it("each have a kebab-case id in the defined family, a summary and a rationale", () => {
    for (const rule of definedRules) {
      expect(rule.id).toMatch(/^defined\/[a-z]+(-[a-z]+)*$/);
      expect(rule.summary.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(100);
    }
    expect(new Set(definedRules.map((r) => r.id)).size).toBe(definedRules.length);
  });
});

// Built as values, not YAML: these tests are about the rules, and parsing 5,000 steps dominates otherwise.
describe("defined rules at scale", () => {
  const large = charterOf(largeCharterYaml(5000));

  it("lint a valid 5,000-step charter with no finding", () => {
    expect(lintCharter(large, {}, definedRules)).toEqual([]);
  });

  it("report each of thousands of broken routes in a 5,000-step charter", () => {
    const broken = structuredClone(large);
    for (const [id, step] of Object.entries(broken.steps))
      if (step.kind === "ai") step.review = id.replace("classify-", "reviw-");
    const found = lintCharter(broken, {}, definedRules);
    const count = (id: string) => found.filter((f) => f.ruleId === id).length;
    expect(count("defined/unknown-step")).toBe(999);
    expect(count("defined/unreachable")).toBe(999);
    expect(found.find((f) => f.ruleId === "defined/unknown-step")?.message).toMatch(
      /Did you mean "review-0"\?$/,
    );
  });

  it("report every step of a 5,000-step loop", () => {
    const size = 5000;
    const loop: Charter = {
      ...large,
      start: "s0",
      steps: Object.fromEntries(
        Array.from({ length: size }, (_, i) => [
          `s${i}`,
          {
            kind: "decision" as const,
            owner: "team:operations",
            rules: [{ when: `input.amount > ${i}`, goto: `s${(i + 1) % size}` }],
            default: `s${(i + 2) % size}`,
          },
        ]),
      ),
    };
    const found = lintCharter(loop, {}, definedRules);
    expect(found.filter((f) => f.ruleId === "defined/no-end")).toHaveLength(size);
  });
});
