/** The "AI boundaries" section: what each ai step may propose, and what decides on its output. */
import type { StepOf } from "../definition/schema.js";
import { stepsOfKind } from "../definition/steps.js";
import { aiBoundary, schemaFields } from "./describe.js";
import { code, fence, fields, text } from "./markdown-text.js";
import type { PageContext } from "./page-context.js";
import { exceptionQueue, fieldTable, heading } from "./page-context.js";

export function aiSection(page: PageContext): string {
  const steps = stepsOfKind(page.charter, ["ai"] as const);
  if (steps.length === 0) return "## AI boundaries\n\n_This workflow has no AI steps._";
  const intro =
    "AI steps only propose. A proposal goes on when its acceptance condition holds; otherwise a person reviews it. What happens to the output after that is decided by the rules and people listed as its gates.";
  return ["## AI boundaries", intro, ...steps.map(({ id, step }) => aiStep(page, id, step))].join("\n\n");
}

function aiStep(page: PageContext, id: string, step: StepOf<"ai">): string {
  const { charter, graph } = page;
  const task = charter.model_tasks?.[step.model_task];
  const boundary = aiBoundary(charter, graph, id);
  const { ungated } = boundary;
  const routes = graph.outgoing.get(id) ?? [];
  const accepted = routes.find((edge) => edge.kind === "accepted");
  const errors = routes.filter((edge) => edge.kind === "error").map((edge) => page.route(edge));
  if (step.on_error?.default === undefined) errors.push(`any other error → ${exceptionQueue(charter)}`);
  const blocks = [
    heading(id, step),
    fields([
      [
        "Model task",
        `${code(step.model_task)}${task === undefined ? " (⚠ not defined)" : ""}${task?.model ? ` on model ${code(task.model)}` : ""}`,
      ],
      ["Purpose", step.purpose === undefined ? undefined : text(step.purpose)],
      [
        "Accepted when",
        step.accept
          ? `${code(step.accept.when)}${accepted ? `, then → ${page.destination(accepted)}` : ""}`
          : "⚠ no acceptance condition",
      ],
      [
        "Not accepted",
        step.review === undefined ? "⚠ no review route" : `reviewed at ${page.target(step.review)}`,
      ],
      [
        "Output gated by",
        boundary.gates.length > 0
          ? boundary.gates.map((gate) => `${code(gate)} (${charter.steps[gate]!.kind})`).join(", ")
          : "no gate on its accepted route",
      ],
      [
        "⚠ Reaches without a gate",
        ungated.length > 0
          ? ungated.map((u) => `${code(u.target)} via ${u.path.map(code).join(" → ")}`).join("; ")
          : undefined,
      ],
      ["On error", errors.join("; ")],
    ]),
  ];
  const output = schemaFields(task?.output);
  if (output.length > 0)
    blocks.push(`Output fields (validated before anything reads them):\n\n${fieldTable(output)}`);
  if (task) blocks.push(`Instructions of ${code(step.model_task)}:\n\n${fence(task.instructions, "text")}`);
  return blocks.join("\n\n");
}

