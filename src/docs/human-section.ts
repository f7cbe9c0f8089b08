/** The "Human checkpoints" section: who decides at each approval and task, and on what clock. */
import { isHumanStep } from "../definition/gates.js";
import type { Charter, Step, StepOf } from "../definition/schema.js";
import { HUMAN_STEP_KINDS } from "../definition/schema.js";
import { stepsOfKind } from "../definition/steps.js";
import { schemaFields } from "./describe.js";
import { code, fields, text } from "./markdown-text.js";
import type { PageContext } from "./page-context.js";
import { fieldTable, heading } from "./page-context.js";

/** A human step's clock: when it is due, when it escalates, when it expires. */
export function humanTimes(step: Step): string[] {
  if (!isHumanStep(step)) return [];
  const times: string[] = [];
  if (step.due) times.push(`due ${text(step.due)}`);
  if (step.escalate) times.push(`escalate after ${text(step.escalate.after)} to ${code(step.escalate.to)}`);
  if (step.expire) times.push(`expire after ${text(step.expire.after)}`);
  return times;
}

type HumanStep = StepOf<"approval"> | StepOf<"task">;

export function humanSection(page: PageContext): string {
  const steps = stepsOfKind(page.charter, HUMAN_STEP_KINDS as readonly HumanStep["kind"][]);
  const intro =
    "People decide at these steps. The engine enforces who may act and the separation of duties, and records each decision with its actor and reason.";
  if (steps.length === 0) return "## Human checkpoints\n\n_This workflow has no human checkpoints._";
  return [
    "## Human checkpoints",
    intro,
    ...steps.map(({ id, step }) => humanCheckpoint(page, id, step)),
  ].join("\n\n");
}

function humanCheckpoint(page: PageContext, id: string, step: HumanStep): string {
  const outcomes = Object.entries(step.outcomes ?? {}).map(
    ([outcome, to]) => `${code(outcome)} → ${page.target(to)}`,
  );
  const blocks = [
    heading(id, step),
    fields([
      ["Kind", step.kind],
      ["Purpose", step.purpose === undefined ? undefined : text(step.purpose)],
      ["Assignee", step.assignee === undefined ? "⚠ none" : code(step.assignee)],
      ["Owner", step.owner === undefined ? "⚠ none" : code(step.owner)],
      [
        "May not decide",
        step.not_by?.length
          ? step.not_by.map((actor) => notByWords(page.charter, actor)).join("; ")
          : undefined,
      ],
      ["Reason required", step.require_reason ? "yes" : "no"],
      ["Shows", step.shows?.length ? step.shows.map(code).join(", ") : undefined],
      ["Due", step.due === undefined ? "⚠ no due date" : text(step.due)],
      [
        "Escalation",
        step.escalate ? `after ${text(step.escalate.after)} to ${code(step.escalate.to)}` : "none",
      ],
      [
        "Expiry",
        step.expire
          ? `after ${text(step.expire.after)} → ${page.target(step.expire.goto)}`
          : "⚠ never expires",
      ],
      ["Outcomes", outcomes.length > 0 ? outcomes.join("; ") : undefined],
      [
        "Next",
        step.kind === "task" && !step.outcomes && step.next !== undefined
          ? page.target(step.next)
          : undefined,
      ],
      ["Instructions", step.instructions === undefined ? undefined : text(step.instructions)],
    ]),
  ];
  const form = step.kind === "task" ? schemaFields(step.form) : [];
  if (form.length > 0) blocks.push(`Form:\n\n${fieldTable(form)}`);
  return blocks.join("\n\n");
}

/** `not_by` entries in words: the initiator, the person who acted on a step, or an actor. */
function notByWords(charter: Charter, actor: string): string {
  if (actor === "initiator") return "the run's initiator";
  if (Object.hasOwn(charter.steps, actor)) return `whoever acted on ${code(actor)}`;
  return code(actor);
}

