import { describe, expect, it } from "vitest";
import { end, findings, steps } from "../../../../../test/helpers/step-yaml.js";

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
