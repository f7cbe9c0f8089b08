import { describe, expect, it } from "vitest";
import { ALL_RULES } from "../src/definition/lint/rules/index.js";
import { EXAMPLE_BASE_YAML, lintText, MINIMAL_YAML, ruleIds, withFields } from "./helpers/charters.js";

describe("the base charters", () => {
  it("the minimal charter lints clean", () => {
    expect(lintText(MINIMAL_YAML)).toEqual([]);
  });

  it("the example base lints with no error; its role and model task are there for examples to use", () => {
    const findings = lintText(EXAMPLE_BASE_YAML).map((d) => [d.severity, d.ruleId, d.path.join(".")]);
    expect(findings).toEqual([
      ["warning", "defined/unused", "roles.reviewer"],
      ["warning", "defined/unused", "model_tasks.classify"],
    ]);
  });
});

// Each rule's docs page shows a bad and a good example; both are checked here, so the docs cannot lie.
describe.each(ALL_RULES.map((rule) => [rule.id, rule] as const))("rule %s", (id, rule) => {
  it("reports its bad example", () => {
    expect(ruleIds(lintText(withFields(rule.example.bad), "test.yaml", rule.example.options))).toContain(id);
  });
  it("accepts its good example", () => {
    const diagnostics = lintText(withFields(rule.example.good), "test.yaml", rule.example.options);
    expect(diagnostics.filter((d) => d.severity === "error" || d.ruleId === id)).toEqual([]);
  });
});
