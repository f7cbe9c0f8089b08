/** defined/json-schema: task forms and model task schemas are valid JSON Schema. */
import type { ValuePath } from "../../../diagnostic.js";
import type { Rule } from "../../rule.js";
import { stepsOfKind } from "../../../steps.js";
import { schemaProblems } from "./schema-problems.js";

export const jsonSchema: Rule = {
  id: "defined/json-schema",
  severity: "error",
  summary: "Task forms and model task input and output schemas are valid JSON Schema.",
  rationale: `A task's \`form\` describes what a person submits, and a model task's \`input\` and \`output\` describe
what a model reads and must answer. The engine validates that data against these schemas at run
time, so a schema that cannot be compiled would fail every run that reaches the step. They are
checked as JSON Schema draft 2020-12: keyword types, \`type\` names, \`$ref\` targets, \`pattern\`
regular expressions and \`format\` names.`,
  example: {
    bad: `model_tasks:
  classify:
    instructions: Classify the request.
    output:
      type: object
      required: category
      properties:
        category: { type: strng }
`,
    good: `model_tasks:
  classify:
    instructions: Classify the request.
    output:
      type: object
      required: [category]
      properties:
        category: { type: string }
`,
  },
  check({ charter, report }) {
    const check = (schema: Record<string, unknown> | undefined, path: ValuePath, what: string) => {
      if (schema === undefined) return;
      for (const problem of schemaProblems(schema))
        report({
          message: `${what} is not a valid JSON Schema (draft 2020-12): ${problem.message}`,
          path: [...path, ...problem.path],
        });
    };
    for (const { id, step } of stepsOfKind(charter, ["task"]))
      check(step.form, ["steps", id, "form"], `The form of task "${id}"`);
    for (const [id, task] of Object.entries(charter.model_tasks ?? {})) {
      check(task.input, ["model_tasks", id, "input"], `The input of model task "${id}"`);
      check(task.output, ["model_tasks", id, "output"], `The output of model task "${id}"`);
    }
  },
};
