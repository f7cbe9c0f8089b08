import { describe, expect, it } from "vitest";
import { lintText, withFields } from "../../../../../test/helpers/charters.js";
import type { Diagnostic } from "../../../diagnostic.js";
import type { LintOptions } from "../../rule.js";

/** Lint the example base charter with some top-level fields replaced; keep one rule's findings. */
function findings(ruleId: string, fields: string, options: LintOptions = {}): Diagnostic[] {
  return lintText(withFields(fields), "test.yaml", options).filter((d) => d.ruleId === ruleId);
}

const end = (id: string, outcome = id, extra = "") => `
  ${id}: { kind: end, outcome: ${outcome}${extra} }`;

const steps = (start: string, ...defs: string[]) => `start: ${start}\nsteps:${defs.join("")}\n`;

describe("defined/json-schema", () => {
  it("reports an invalid task form, naming the task", () => {
    const found = findings(
      "defined/json-schema",
      steps(
        "review",
        `
  review:
    kind: task
    owner: team:operations
    assignee: role:reviewer
    form: { type: object, properties: { note: { type: txt } } }
    due: 1d
    expire: { after: 3d, goto: exception }
    next: done`,
        end("done"),
      ),
    );
    expect(found.map((d) => d.path)).toEqual([["steps", "review", "form", "properties", "note", "type"]]);
    expect(found[0]!.message).toMatch(/^The form of task "review" is not a valid JSON Schema/);
  });

  it("reports invalid model task input and output schemas", () => {
    const found = findings(
      "defined/json-schema",
      `
model_tasks:
  classify:
    instructions: Classify.
    input: { type: object, required: text }
    output: { type: object, properties: { category: { enum: red } } }
`,
    );
    expect(found.map((d) => d.path)).toEqual([
      ["model_tasks", "classify", "input", "required"],
      ["model_tasks", "classify", "output", "properties", "category", "enum"],
    ]);
    expect(found[0]!.message).toMatch(/^The input of model task "classify"/);
    expect(found[1]!.message).toMatch(/^The output of model task "classify"/);
  });
});
