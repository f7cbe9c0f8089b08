/**
 * defined/unknown-step, defined/unknown-role, defined/unknown-model-task and defined/unknown-handler:
 * every name a charter uses for a step, a role, a model task or a handler is declared somewhere.
 */
import { INPUT_NODE } from "../../../graph.js";
import { didYouMean } from "../../../suggest.js";
import { CONTINUE_TARGET, EXCEPTION_TARGET, REJECT_TARGET, RESERVED_STEP_IDS } from "../../../schema.js";
import type { StepOf } from "../../../schema.js";
import type { Rule, RuleContext, RuleExample } from "../../rule.js";
import { stepsOfKind } from "../../../steps.js";
import { CHECK_STEP, DONE_STEP } from "../examples.js";
import { createSuggester, fieldOf } from "../wording.js";
import { roleReferences } from "./role-references.js";
import { branchEntries } from "./routes.js";

/** What is wrong with a route target, or undefined when it names a step or the exception queue. */
function targetProblem(
  to: string,
  stepIds: ReadonlySet<string>,
  where: { subject: string; field: string; onInvalid?: boolean },
  suggest: (name: string) => string,
): string | undefined {
  const { subject, field } = where;
  if (to === EXCEPTION_TARGET) return undefined;
  if (to === REJECT_TARGET)
    return where.onInvalid
      ? undefined
      : `${subject} routes to "reject" in ${field}, but "reject" only refuses an invalid input (input.on_invalid): route to a step, or to "exception".`;
  if (to === CONTINUE_TARGET)
    return `${subject} uses "continue" in ${field}, but "continue" only works inside a parallel branch: name the step to go to.`;
  if (stepIds.has(to)) return undefined;
  const hint = (where.onInvalid ? didYouMean(to, [REJECT_TARGET]) : "") || suggest(to);
  // input.on_invalid takes a step id, or reject (refuse the run): offer those, not the queue.
  if (where.onInvalid)
    return `${subject} goes to unknown step "${to}" in ${field}, which takes a step id, or reject.${hint || ` Add a step "${to}" under steps, name an existing step, or set on_invalid: reject to refuse the run.`}`;
  return `${subject} goes to unknown step "${to}" in ${field}.${hint || ` Add a step "${to}" under steps, or route to an existing step or "exception".`}`;
}

export const unknownStep: Rule = {
  id: "defined/unknown-step",
  severity: "error",
  summary: "Every route names a step that exists, and reserved targets are used where they mean something.",
  rationale: `\`start\`, \`next\`, \`on_error\`, \`review\`, decision \`goto\` and \`default\`, \`outcomes\`,
\`expire.goto\`, \`on_timeout\`, \`input.on_invalid\` and branch lists all name steps. A misspelt name
would leave a run with nowhere to go, so each must be a step of the charter. Three targets are
reserved and are not steps: \`exception\` (the charter's exception queue; anywhere but \`start\`),
\`reject\` (only in \`input.on_invalid\`: refuse the run) and \`continue\` (only in a step of a parallel
branch: carry on with the branch). No step may be named after one of them.`,
  example: {
    bad: `steps:${CHECK_STEP("dnoe")}${DONE_STEP}
`,
    good: `steps:${CHECK_STEP("done")}${DONE_STEP}
`,
  },
  check({ charter, graph, report }) {
    const stepIds = new Set(graph.stepIds);
    const suggest = createSuggester(graph.stepIds);
    for (const id of graph.stepIds)
      if (RESERVED_STEP_IDS.includes(id))
        report({
          message: `Step id "${id}" is reserved (${reservedMeaning(id)}), so routes to it would not reach this step: rename the step.`,
          path: ["steps", id],
          atKey: true,
        });
    checkStart(charter.start, stepIds, suggest, report);
    for (const edge of graph.edges) {
      // Branch starts are checked with the rest of their list below; implicit edges have no field.
      if (edge.path === undefined || edge.kind === "branch") continue;
      const onInvalid = edge.from === INPUT_NODE;
      const subject = onInvalid ? "Input validation" : `Step "${edge.from}"`;
      const problem = targetProblem(
        edge.to,
        stepIds,
        { subject, field: fieldOf(edge.path), onInvalid },
        suggest,
      );
      if (problem) report({ message: problem, path: edge.path });
    }
    for (const { id, step } of stepsOfKind(charter, ["parallel"]))
      checkParallelTargets(id, step, { graph, report }, stepIds, suggest);
  },
};

/** Branch list entries, and a parallel's `next` (with branches, the graph joins by implicit edges). */
function checkParallelTargets(
  id: string,
  step: StepOf<"parallel">,
  { graph, report }: Pick<RuleContext, "graph" | "report">,
  stepIds: ReadonlySet<string>,
  suggest: (name: string) => string,
): void {
  for (const { entry, path } of branchEntries(id, step)) {
    if (stepIds.has(entry) && !RESERVED_STEP_IDS.includes(entry)) continue;
    report({
      message: RESERVED_STEP_IDS.includes(entry)
        ? `Parallel "${id}" lists "${entry}" in ${fieldOf(path)}, but a branch lists steps and "${entry}" is not one: name a step.`
        : `Parallel "${id}" lists unknown step "${entry}" in ${fieldOf(path)}.${suggest(entry) || ` Add a step "${entry}" under steps, or fix the name.`}`,
      path,
    });
  }
  const hasLists = step.branches !== undefined || step.branch !== undefined;
  // A parallel inside a branch has no next of its own (defined/routes says so).
  if (!hasLists || step.next === undefined || graph.branches.has(id)) return;
  const problem = targetProblem(step.next, stepIds, { subject: `Parallel "${id}"`, field: "next" }, suggest);
  if (problem) report({ message: problem, path: ["steps", id, "next"] });
}

function reservedMeaning(id: string): string {
  if (id === EXCEPTION_TARGET) return "it names the exception queue";
  if (id === REJECT_TARGET) return "it refuses an invalid input";
  return "it carries on in a parallel branch";
}

function checkStart(
  start: string,
  stepIds: ReadonlySet<string>,
  suggest: (name: string) => string,
  report: RuleContext["report"],
): void {
  if (stepIds.has(start) && !RESERVED_STEP_IDS.includes(start)) return;
  const message = RESERVED_STEP_IDS.includes(start)
    ? `start is "${start}", but a run must begin at a step: set start to the id of the first step.`
    : `start names unknown step "${start}".${suggest(start) || ` Set start to the id of the first step.`}`;
  report({ message, path: ["start"] });
}

export const unknownRole: Rule = {
  id: "defined/unknown-role",
  severity: "error",
  summary: "Every `role:<id>` names a role declared under `roles`.",
  rationale: `Owners, assignees and escalation targets name roles as \`role:<id>\`. The engine gives a human step to
the role's members and escalates to them, so a misspelt role would leave work nobody can see. Every
role a charter names must be declared under \`roles\` (with a description; members come from the
role itself or from the directory). \`not_by\` entries are checked by \`oversight/not-by\`.`,
  example: {
    bad: `steps:${CHECK_STEP("done", "role:reviwer")}${DONE_STEP}
`,
    good: `steps:${CHECK_STEP("done", "role:reviewer")}${DONE_STEP}
`,
  },
  check({ charter, report }) {
    const roles = Object.keys(charter.roles ?? {});
    const declared = new Set(roles);
    const suggest = createSuggester(roles);
    for (const ref of roleReferences(charter)) {
      // not_by has its own rule (oversight/not-by), which also accepts directory roles.
      if (declared.has(ref.role) || ref.path.includes("not_by")) continue;
      const fix =
        roles.length === 0
          ? ` The charter declares no roles: add roles: { ${ref.role}: { description: ..., members: [user:<id>] } }.`
          : suggest(ref.role) || ` Declare it under roles, or fix the name.`;
      report({
        message: `${ref.subject} names unknown role "${ref.role}" in ${ref.field}.${fix}`,
        path: ref.path,
        ...(ref.offset === undefined ? {} : { offset: ref.offset }),
      });
    }
  },
};

const aiStepExample = (modelTask: string) => `start: classify
steps:
  classify:
    kind: ai
    owner: team:operations
    model_task: ${modelTask}
    accept: { when: "confidence >= 0.9" }
    review: review-category
    timeout: 1m
    on_error: { default: exception }
    next: route
  review-category:
    kind: task
    owner: role:reviewer
    assignee: role:reviewer
    form: { type: object, required: [category], properties: { category: { type: string } } }
    due: 1d
    expire: { after: 3d, goto: exception }
    next: route
  route:
    kind: decision
    owner: team:operations
    rules:
      - when: "input.amount > 100"
        goto: done
    default: done${DONE_STEP}
`;

export const unknownModelTask: Rule = {
  id: "defined/unknown-model-task",
  severity: "error",
  summary: "Every ai step's `model_task` is declared under `model_tasks`.",
  rationale: `An \`ai\` step runs a model task: the instructions and output schema declared under \`model_tasks\`.
The definition is what reviewers read and what the audit trail hashes, so it must be in the charter;
a step naming a task that is not declared could not run.`,
  example: { bad: aiStepExample("clasify"), good: aiStepExample("classify") },
  check({ charter, report }) {
    const tasks = Object.keys(charter.model_tasks ?? {});
    const declared = new Set(tasks);
    const suggest = createSuggester(tasks);
    for (const { id, step } of stepsOfKind(charter, ["ai"])) {
      if (declared.has(step.model_task)) continue;
      report({
        message: `Step "${id}" uses unknown model task "${step.model_task}" in model_task.${suggest(step.model_task) || ` Declare it under model_tasks with instructions and an output schema.`}`,
        path: ["steps", id, "model_task"],
      });
    }
  },
};

const handlerExample: RuleExample = {
  bad: `steps:
  check:
    kind: action
    owner: team:operations
    handler: requests.chek
    timeout: 30s
    on_error: { default: exception }
    next: done${DONE_STEP}
`,
  good: `steps:${CHECK_STEP("done")}${DONE_STEP}
`,
  options: { handlers: ["requests.check", "requests.archive"] },
};

export const unknownHandler: Rule = {
  id: "defined/unknown-handler",
  severity: "error",
  summary: "Every action calls a handler the project registers (checked when the handlers are known).",
  rationale: `An action calls TypeScript code registered under a name. When the linter is given the project's
registered handlers (\`charter lint\` finds them from the project's entry point), each action's
\`handler\` must be one of them; otherwise the first run to reach the step would fail with
"handler not found". Without the list, this rule does not run. (The examples are linted with the
handlers \`requests.check\` and \`requests.archive\` registered.)`,
  example: handlerExample,
  check({ charter, options, report }) {
    if (options.handlers === undefined) return;
    const registered = new Set(options.handlers);
    const suggest = createSuggester(options.handlers);
    for (const { id, step } of stepsOfKind(charter, ["action"])) {
      if (registered.has(step.handler)) continue;
      report({
        message: `Step "${id}" calls handler "${step.handler}", which is not registered.${suggest(step.handler) || " Register a handler with that name, or fix the name."}`,
        path: ["steps", id, "handler"],
      });
    }
  },
};
