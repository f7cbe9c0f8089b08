import { describe, expect, it } from "vitest";
import { ALL_RULES } from "../src/definition/lint/rules/index.js";
import { lintText, MINIMAL_YAML, ruleIds, withFields } from "./helpers/charters.js";

describe("the minimal charter", () => {
  it("lints clean", () => {
    expect(lintText(MINIMAL_YAML)).toEqual([]);
  });
});

// Each rule's docs page shows a bad and a good example; both are checked here, so the docs cannot lie.
describe.each(ALL_RULES.map((rule) => [rule.id, rule] as const))("rule %s", (id, rule) => {
  it("reports its bad example", () => {
    expect(ruleIds(lintText(withFields(rule.example.bad)))).toContain(id);
  });
  it("accepts its good example", () => {
    const diagnostics = lintText(withFields(rule.example.good));
    expect(diagnostics.filter((d) => d.severity === "error" || d.ruleId === id)).toEqual([]);
  });
});
