/**
 * defined/trigger, defined/input-schema, defined/owner and defined/success: what every charter must
 * say before anything else is checked. What starts a run, what its input is, who is accountable, and
 * which ends count as success.
 */
import type { ValuePath } from "../../../diagnostic.js";
import { didYouMean } from "../../../suggest.js";
import type { StepOf } from "../../../schema.js";
import type { Rule, RuleContext } from "../../rule.js";
import { stepsOfKind } from "../../../steps.js";
import { CHECK_STEP, DONE_STEP } from "../examples.js";
import { listNames } from "../wording.js";
import { schemaProblems } from "./schema-problems.js";

/** Where charter-level gaps are reported: the `workflow` key, the line that names the charter. */
const CHARTER_KEY: ValuePath = ["workflow"];

export const trigger: Rule = {
  id: "defined/trigger",
  severity: "error",
  summary: "The charter says what starts a run.",
  rationale: `A workflow nobody can start is not a workflow. \`triggers\` lists what starts a run: \`manual\` (a
person or an API call), \`webhook\` (a POST to a path), \`schedule\` (a cron expression) or \`event\`
(a named event). List at least one, so that operations know where runs come from and the engine
knows which endpoints and timers to open.`,
  example: {
    bad: `triggers: []\n`,
    good: `triggers:\n  - manual: {}\n  - webhook: { path: /requests }\n`,
  },
  check({ charter, report }) {
    if (charter.triggers === undefined) {
      report({
        message: `Charter "${charter.workflow}" has no triggers, so nothing can start a run: add triggers: [{ manual: {} }] (or webhook, schedule, event).`,
        path: CHARTER_KEY,
        atKey: true,
      });
    } else if (charter.triggers.length === 0) {
      report({
        message: `Charter "${charter.workflow}" lists no trigger, so nothing can start a run: add one, e.g. - manual: {} (or webhook, schedule, event).`,
        path: ["triggers"],
      });
    }
  },
};

export const inputSchema: Rule = {
  id: "defined/input-schema",
  severity: "error",
  summary: "The charter declares a valid JSON Schema for a run's input.",
  rationale: `Every step reads the run's input, and every run starts from data someone else sent. \`input.schema\`
(JSON Schema, draft 2020-12) says what valid input is; the engine checks each run's input against it
before the first step, and sends invalid input to \`input.on_invalid\`. Without a schema, a missing
field surfaces as a failure deep inside a step, or not at all. The schema itself is checked here:
a wrong keyword type, an unknown \`type\`, a \`$ref\` that resolves nowhere, an invalid \`pattern\`
or an unknown \`format\` is reported at its place.`,
  example: {
    bad: `input:\n  on_invalid: reject\n`,
    good: `input:
  schema:
    type: object
    required: [requestId]
    properties:
      requestId: { type: string }
  on_invalid: reject
`,
  },
  check({ charter, report }) {
    if (charter.input === undefined) {
      report({
        message: `Charter "${charter.workflow}" has no input: add input: { schema: <JSON Schema of a run's input>, on_invalid: reject }.`,
        path: CHARTER_KEY,
        atKey: true,
      });
      return;
    }
    if (charter.input.schema === undefined) {
      report({
        message: `input has no schema: add schema: with the JSON Schema a run's input must match (e.g. { type: object, required: [...] }).`,
        path: ["input"],
        atKey: true,
      });
      return;
    }
    for (const problem of schemaProblems(charter.input.schema))
      report({
        message: `input.schema is not a valid JSON Schema (draft 2020-12): ${problem.message}`,
        path: ["input", "schema", ...problem.path],
      });
  },
};

export const owner: Rule = {
  id: "defined/owner",
  severity: "error",
  summary: "The charter and every step that does something have an owner.",
  rationale: `When a run is stuck at three in the morning, someone must be accountable: for the workflow as a whole
(the charter's \`owner\`) and for each step (the step's \`owner\`), who gets the exception and decides
what to do. An owner is \`team:<id>\`, \`role:<id>\` or \`user:<id>\`, never an AI. \`end\` steps do
nothing and need none.`,
  example: {
    bad: `steps:
  check:
    kind: action
    handler: requests.check
    timeout: 30s
    on_error: { default: exception }
    next: done${DONE_STEP}
`,
    good: `steps:${CHECK_STEP("done")}${DONE_STEP}
`,
  },
  check({ charter, report }) {
    if (charter.owner === undefined)
      report({
        message: `Charter "${charter.workflow}" has no owner: add owner: team:<id> (or role:<id>, user:<id>), who is accountable for the workflow.`,
        path: CHARTER_KEY,
        atKey: true,
      });
    for (const [id, step] of Object.entries(charter.steps)) {
      if (step.kind === "end" || step.owner !== undefined) continue;
      report({
        message: `Step "${id}" (${step.kind}) has no owner: add owner: team:<id> (or role:<id>, user:<id>), who is accountable when it fails.`,
        path: ["steps", id],
        atKey: true,
      });
    }
  },
};

export const success: Rule = {
  id: "defined/success",
  severity: "error",
  summary: "The charter says which end outcomes are success, and its end steps agree.",
  rationale: `A workflow's success rate is only meaningful when success is defined. \`success.outcomes\` lists the
end outcomes that count as success (a rejected invoice can be a success: the process worked), and
\`success.within\` the end-to-end service level. Each listed outcome must be produced by some \`end\`
step, and an end step's own \`success: true|false\` must agree with the list: it exists to state
the default explicitly, not to contradict it.`,
  example: {
    bad: `success:\n  outcomes: [completed]\n`,
    good: `success:\n  outcomes: [done]\n  within: 2d\n`,
  },
  check({ charter, report }) {
    const ends = stepsOfKind(charter, ["end"]);
    const produced = [...new Set(ends.map(({ step }) => step.outcome))];
    const producedNote = produced.length > 0 ? ` (its ends produce ${listNames(produced)})` : "";
    if (charter.success === undefined) {
      report({
        message: `Charter "${charter.workflow}" does not define success: add success: { outcomes: [<end outcome>, ...] } listing the end outcomes that count as success${producedNote}.`,
        path: CHARTER_KEY,
        atKey: true,
      });
      return;
    }
    const listed = charter.success.outcomes;
    if (listed === undefined) {
      report({
        message: `success has no outcomes, so no run can succeed: add outcomes: [<end outcome>, ...] under success, listing the end outcomes that count as success${producedNote}.`,
        path: ["success"],
        atKey: true,
      });
      return;
    }
    if (listed.length === 0)
      report({
        message: `success.outcomes is empty, so no run can succeed: list the end outcomes that count as success${producedNote}.`,
        path: ["success", "outcomes"],
      });
    checkListedOutcomes(listed, produced, report);
    checkEndFlags(ends, new Set(listed), report);
  },
};

/** Each outcome listed as success is the outcome of some end step. */
function checkListedOutcomes(
  listed: readonly string[],
  produced: readonly string[],
  report: RuleContext["report"],
): void {
  const producedSet = new Set(produced);
  listed.forEach((outcome, i) => {
    if (producedSet.has(outcome)) return;
    report({
      message: `Success outcome "${outcome}" is not the outcome of any end step.${didYouMean(outcome, produced)} Add an end step with outcome: ${outcome}, or remove it from success.outcomes.`,
      path: ["success", "outcomes", i],
    });
  });
}

/** An end step's own `success:` agrees with success.outcomes. */
function checkEndFlags(
  ends: readonly { id: string; step: StepOf<"end"> }[],
  listed: ReadonlySet<string>,
  report: RuleContext["report"],
): void {
  for (const { id, step: end } of ends) {
    if (end.success === true && !listed.has(end.outcome))
      report({
        message: `End step "${id}" says success: true, but its outcome "${end.outcome}" is not in success.outcomes: add "${end.outcome}" there, or remove success: true.`,
        path: ["steps", id, "success"],
      });
    else if (end.success === false && listed.has(end.outcome))
      report({
        message: `End step "${id}" says success: false, but its outcome "${end.outcome}" is listed in success.outcomes: remove one of the two, or give this end its own outcome.`,
        path: ["steps", id, "success"],
      });
  }
}
